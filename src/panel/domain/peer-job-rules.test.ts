import { describe, expect, it } from 'vitest';
import { isJobDue, isQuotaView, jobProblem, type RunJob } from './peer-job-rules.js';

const GIB = 2n ** 30n;
const job = (over: Partial<RunJob>): RunJob => ({
  jobId: 'j',
  field: 'total_sent',
  operator: 'lgt',
  value: '1',
  action: 'delete',
  ...over,
});
const now = new Date('2026-06-01T12:00:00Z');

describe('peer job rules (4.3 runJob)', () => {
  it('total_receive is what the node received, total_sent what it sent, in GiB', () => {
    const usage = { rx: 2n * GIB, tx: GIB / 2n };
    expect(isJobDue(job({ field: 'total_receive' }), usage, now)).toBe(true);
    expect(isJobDue(job({ field: 'total_sent' }), usage, now)).toBe(false);
    expect(isJobDue(job({ field: 'total_sent', operator: 'lst' }), usage, now)).toBe(true);
    expect(isJobDue(job({ field: 'total_data', value: '2.5', operator: 'eq' }), usage, now)).toBe(
      true,
    );
    expect(isJobDue(job({ field: 'total_data', value: '2.5', operator: 'neq' }), usage, now)).toBe(
      false,
    );
    // lgt is strictly greater, as 4.3.
    expect(isJobDue(job({ field: 'total_receive', value: '2' }), usage, now)).toBe(false);
  });

  it('date compares the time with the job’s UTC date', () => {
    const usage = { rx: 0n, tx: 0n };
    expect(isJobDue(job({ field: 'date', value: '2026-06-01 11:59:59' }), usage, now)).toBe(true);
    expect(isJobDue(job({ field: 'date', value: '2026-06-01 12:00:00' }), usage, now)).toBe(false);
    expect(
      isJobDue(job({ field: 'date', value: '2026-06-01 12:00:01', operator: 'lst' }), usage, now),
    ).toBe(true);
  });

  it('names the field at fault; the two quota views are told apart', () => {
    const ok = { Field: 'total_sent', Operator: 'lgt', Value: '5', Action: 'delete' };
    expect(jobProblem(ok)).toBeNull();
    expect(jobProblem({ ...ok, Field: 'rx' })?.field).toBe('Job.Field');
    expect(jobProblem({ ...ok, Operator: 'gt' })?.field).toBe('Job.Operator');
    expect(jobProblem({ ...ok, Action: 'ban' })?.field).toBe('Job.Action');
    expect(jobProblem({ ...ok, Value: 'lots' })?.field).toBe('Job.Value');
    expect(jobProblem({ ...ok, Field: 'date', Value: 'soon' })?.field).toBe('Job.Value');
    expect(isQuotaView({ Field: 'total_data', Operator: 'lgt', Action: 'restrict' })).toBe(true);
    expect(isQuotaView({ Field: 'total_sent', Operator: 'lgt', Action: 'restrict' })).toBe(false);
    expect(isQuotaView({ Field: 'date', Operator: 'lgt', Action: 'delete' })).toBe(false);
  });
});
