/** The application the application tests declare: word, on the app block office. */
import type { ApplicationConfig } from '../../src/config/types.js';

export const WORD: ApplicationConfig = {
  Name: 'word',
  AppBlock: 'office',
  IconS3Location: { S3Bucket: 'icons', S3Key: 'word.png' },
  LaunchPath: 'C:\\Office\\word.exe',
  Platforms: ['WINDOWS_SERVER_2019'],
  InstanceFamilies: ['GENERAL_PURPOSE'],
};
