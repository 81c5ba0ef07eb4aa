/** Starts a real node origin for the workerd project; its URL becomes the ORIGIN var. */
import type { TestProject } from 'vitest/node';
import { startRecordingOrigin } from '../../scripts/recording-origin.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    originUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const origin = await startRecordingOrigin();
  project.provide('originUrl', origin.url);
  return () => origin.close();
}
