import type { TtsVoice } from './tts';

/** English voices over the engines Debian ships; the generator uses those installed. */
export const ENGLISH_VOICES: readonly TtsVoice[] = [
  { engine: 'espeak-ng', voice: 'en-us' },
  { engine: 'espeak-ng', voice: 'en-gb' },
  { engine: 'espeak-ng', voice: 'en-us+f3' },
  { engine: 'espeak-ng', voice: 'en-gb+m3' },
  { engine: 'espeak-ng', voice: 'en-us+f2' },
  { engine: 'espeak-ng', voice: 'en-gb-scotland+m1' },
  { engine: 'espeak-ng', voice: 'en-gb-x-rp+f4' },
  { engine: 'espeak-ng', voice: 'en-us-nyc+m7' },
  { engine: 'espeak-ng', voice: 'en-029+f1' },
  { engine: 'flite', voice: 'kal' },
  { engine: 'flite', voice: 'awb' },
  { engine: 'flite', voice: 'rms' },
  { engine: 'flite', voice: 'slt' },
  { engine: 'festival', voice: 'kal_diphone' },
];

/** What a person says on picking up: short. */
export const HUMAN_SHORT = [
  'Hello?',
  'Hello',
  'Yes?',
  'Hi',
  'Yeah, hello?',
  'Speaking',
  'Hello, yes?',
  'Hi, who is this?',
  'Yes, hello',
  'Good morning',
  'Hiya',
  'Hello, Jane speaking',
];

/** What a person at a business (or a formal one at home) says: long, then waits. */
export const HUMAN_LONG = [
  'Good afternoon, Smith and Partners, Rebecca speaking, how can I help?',
  'Hello, this is David Thompson speaking, who is calling please?',
  'Good morning, Riverside Dental Practice, Emma speaking.',
  'Hello, you are through to the accounts department, this is Mark.',
  'Hi there, this is Sarah, how can I help you today?',
  'Good evening, the Johnson residence, Peter speaking.',
  'Hello, Green Valley Garage, Tom here, what can I do for you?',
  'Morning, Parker and Sons, Lucy speaking, how may I help?',
  'Thank you for calling Northside Pharmacy, this is Aisha.',
  'Hello, customer services, my name is Kevin, how can I help?',
];

/** Typical voicemail greetings, four to ten seconds. */
export const MACHINE_LONG = [
  'Hi, you have reached Sam. I cannot take your call right now, please leave a message after the tone.',
  'Hello, you have reached the voicemail of John Smith. Please leave a message after the tone.',
  'The person you are calling is not available. Please leave your message after the tone.',
  'Hi, this is Maria. I cannot take your call right now, but if you leave your name and number I will call you back as soon as I can.',
  'Thank you for calling Acme Plumbing. Our office is closed. Our hours are nine to five, Monday to Friday. Please leave a message.',
  'The number you have dialled is not available. Please record your message after the tone. When you have finished, hang up.',
  'Hey, you have got Chris and Nikki. We are not home right now, so leave us a message and we will get back to you.',
  'You have reached the desk of Doctor Patel. I am away until Monday. Please leave a message or call the front desk.',
];

/** Short greetings: as short as a person's. */
export const MACHINE_SHORT = [
  'Please leave a message.',
  'Leave a message.',
  'Not available. Leave a message.',
  'Sam here, leave a message.',
  'Leave your message after the tone.',
  'Jo. Leave a message.',
  'Please speak after the tone.',
];

/** Greetings that open like a person: an opener, a pause, then the rest. */
export const MACHINE_HUMAN_LIKE: readonly (readonly [string, string])[] = [
  ['Hello?', 'This is Jo, leave a message.'],
  ['Hi!', 'Just kidding, I am not here. Leave a message.'],
  ['Hello?', 'Ha, got you. This is Mike, I cannot answer, leave a message.'],
  ['Yes?', 'Sorry, this is a recording. Please leave your message.'],
  ['Hello, hello?', 'This is Ben. Leave a message after the beep.'],
  ['Hi, it is Kate.', 'I am not around, leave a message.'],
];

/** Greetings in other languages (espeak-ng voice, text). */
export const MACHINE_FOREIGN: readonly (readonly [string, string])[] = [
  ['de', 'Hallo, hier ist der Anrufbeantworter von Anna Schmidt. Bitte hinterlassen Sie eine Nachricht nach dem Signalton.'],
  ['fr-fr', 'Bonjour, vous êtes bien sur la messagerie de Pierre. Laissez-moi un message après le bip.'],
  ['es', 'Hola, has llamado a Carlos. No puedo contestar ahora, deja tu mensaje después de la señal.'],
  ['it', 'Ciao, sono Giulia. Al momento non posso rispondere, lascia un messaggio dopo il segnale acustico.'],
  ['nl', 'Hallo, je spreekt met Jan. Ik ben er even niet, spreek een bericht in na de piep.'],
  ['pl', 'Dzień dobry, tu poczta głosowa Marka. Proszę zostawić wiadomość po sygnale.'],
  ['pt-br', 'Olá, você ligou para Ana. Não posso atender agora, deixe sua mensagem após o sinal.'],
  ['de', 'Bitte sprechen Sie nach dem Ton.'],
  ['fr-fr', 'Laissez un message.'],
  ['es', 'Deje su mensaje.'],
];

/** What the voices in a babble bed say (long, so the bed does not loop audibly). */
export const BABBLE_TEXTS = [
  'So I told him the meeting was moved to Thursday and he just looked at me like I had two heads, honestly.',
  'Can you pass me the report from last week, the one with the blue cover, I need the figures for the call.',
  'We are going to the coast this weekend if the weather holds, the kids have been asking for ages now.',
  'Did anybody see where I put my headset, it was right here on the desk a minute ago, I am sure of it.',
  'The new system is fine once you get used to it but the first week was a complete nightmare for everyone.',
  'I will call them back after lunch, they said the order should ship by Friday at the latest anyway.',
];
