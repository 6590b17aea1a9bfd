/**
 * Preloaded (`node --import`) into a child whose memory is measured: at exit the child writes its
 * peak RSS in kB to the file PEAK_RSS_FILE names, so the number is the child's alone.
 */
import { writeFileSync } from 'node:fs';

const file = process.env.PEAK_RSS_FILE;
if (file) process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS)));
