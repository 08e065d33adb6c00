/**
 * Which Debian packages a spec's test bed needs, and the skip where they are
 * missing: only on a developer machine without them; .ci/run installs them,
 * so in CI these tests always run.
 */
import { test } from '@playwright/test';
import { baresipAvailable } from '../../testbed/baresip';
import { chromiumAvailable } from '../../testbed/chromium';
import { kamailioAvailable } from '../../testbed/kamailio';
import { rtpengineAvailable } from '../../testbed/rtpengine';
import { sippAvailable } from '../../testbed/sipp';

const PACKAGES = {
  kamailio: { packages: ['kamailio', 'kamailio-websocket-modules'], available: kamailioAvailable },
  rtpengine: { packages: ['rtpengine-daemon'], available: rtpengineAvailable },
  baresip: { packages: ['baresip-core'], available: baresipAvailable },
  sipp: { packages: ['sip-tester'], available: sippAvailable },
  chromium: { packages: ['chromium'], available: chromiumAvailable },
} as const;

export type TestBedPart = keyof typeof PACKAGES;

/** Skips the whole spec file (call it at its top) unless every part's packages are installed. */
export function skipWithout(...parts: TestBedPart[]): void {
  const names = parts.flatMap((part) => PACKAGES[part].packages);
  const list =
    names.length === 1
      ? `the Debian package ${names[0]}`
      : `Debian packages ${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
  test.skip(
    parts.some((part) => !PACKAGES[part].available()),
    `needs ${list}`,
  );
}
