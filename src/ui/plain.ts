/**
 * Ink styles text with chalk, which reads FORCE_COLOR once, as it loads, and ignores NO_COLOR. This
 * module is imported before Ink, so that the views are as plain as the text output wherever colour
 * is off (NO_COLOR).
 */
import { useColor } from '../cli/terminal.js';

if (!useColor()) process.env.FORCE_COLOR = '0';
