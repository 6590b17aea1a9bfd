/**
 * Ink styles text with chalk, which reads FORCE_COLOR once, as it loads, and ignores NO_COLOR. This
 * module is imported before Ink, so that on a terminal the views are as plain as the text output
 * wherever colour is off (NO_COLOR). Off a terminal chalk does not colour anyway.
 */
import { useColor } from '../cli/terminal.js';

if (process.stdout.isTTY && !useColor()) process.env.FORCE_COLOR = '0';
