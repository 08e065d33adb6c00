/**
 * The call steps many specs take between the desk and a test caller: the
 * caller rings, the agent answers; the agent hangs up and both ends are done.
 */
import type { CallerState, TestCaller } from '../../testbed/test-caller';
import type { LotsePage } from './lotse-page';

/** The caller calls "agent", the desk rings, the agent answers by click: both ends connected. */
export async function callerReachesAgent(app: LotsePage, caller: TestCaller): Promise<void> {
  await caller.call('agent');
  await app.expectCall('ringing');
  await app.answer();
  await caller.waitForCallState('established', 10_000);
}

/** The agent hangs up: the desk shows the call ended, the caller's call is over. */
export async function agentHangsUp(app: LotsePage, caller: TestCaller): Promise<CallerState> {
  await app.hangUp();
  await app.expectCall('ended');
  return caller.waitForCallState('terminated', 10_000);
}
