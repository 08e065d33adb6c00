/**
 * axe-core on the whole page: no serious or critical violation. Every
 * finding (any impact) goes with the test's results, so the moderate ones
 * can be looked at too.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';

export async function expectAccessible(page: Page, what: string): Promise<void> {
  const result = await new AxeBuilder({ page }).analyze();
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  await test.info().attach(`axe ${what}`, {
    body: JSON.stringify(
      result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length })),
      null,
      2,
    ),
    contentType: 'application/json',
  });
  expect(
    bad.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    `axe: ${what}`,
  ).toEqual([]);
}
