import type { Order } from '@paceline/core';
import { PacelineError } from '@paceline/core';
import type { DeliveryZone } from './config-schema';

type Address = NonNullable<Order['fulfilment']['address']>;

/**
 * The zone that delivers to `address`: the longest matching postal-code prefix among zones
 * of the address's country. `undefined` when no zones are configured (every round serves
 * everywhere); throws `E_INVALID_ORDER` when zones are configured and none covers the address.
 */
export function resolveZone(address: Address, zones: readonly DeliveryZone[]): DeliveryZone | undefined {
  if (zones.length === 0) return undefined;
  const postalCode = address.postalCode.replace(/\s+/g, '').toUpperCase();
  let best: { zone: DeliveryZone; length: number } | undefined;
  for (const zone of zones) {
    if (zone.countries && !zone.countries.includes(address.country)) continue;
    for (const prefix of zone.postalCodePrefixes) {
      const p = prefix.replace(/\s+/g, '').toUpperCase();
      if (postalCode.startsWith(p) && (!best || p.length > best.length)) best = { zone, length: p.length };
    }
  }
  if (!best) {
    throw new PacelineError(
      'E_INVALID_ORDER',
      `order.fulfilment.address.postalCode: no delivery zone covers ${address.country} ${address.postalCode}`,
      {
        issues: [
          { path: 'order.fulfilment.address.postalCode', message: `no delivery zone covers ${address.country} ${address.postalCode}` },
        ],
      },
    );
  }
  return best.zone;
}
