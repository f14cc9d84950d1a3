import { en, type Messages } from './en.js';

export const nl: Messages = en;
