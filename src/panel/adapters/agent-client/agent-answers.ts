import type { Static, TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import type { Validator } from 'typebox/compile';
import { Type } from 'typebox';
import { decodeDumpTsv, DumpTsvError } from '../../../shared/wire/dump-tsv.js';
import {
  Dump,
  Enforcement,
  EnforcementList,
  Health,
  InterfaceList,
  InterfaceSummary,
  Ok,
} from '../../../shared/wire/agent-api.js';
import { SystemStatus } from '../../../shared/wire/agent-system.js';
import { ConfFileJson } from '../../../shared/wire/agent-conf.js';

/**
 * The agent answered 2xx with a body that is not the shape its API promises (a wrong type, a
 * missing field, an older or broken agent). Names the first field at fault, e.g.
 * `peers[3].transfer_rx`, so the poll's error says where, instead of a crash deeper in the ingest.
 */
export class AgentAnswerError extends Error {
  readonly code = 'AGENT_BAD_ANSWER';
  constructor(
    /** What was asked (`GET /v1/wg/wg0/dump`). */
    readonly call: string,
    /** The path of the field at fault (`peers[3].transfer_rx`); `(answer)` for the whole body. */
    readonly field: string,
    reason: string,
  ) {
    super(`agent answer to ${call} is malformed: ${field} ${reason}`);
  }
}

/** `/peers/3/transfer_rx` → `peers[3].transfer_rx` (JSON Pointer, as TypeBox reports it). */
export function fieldPath(instancePath: string): string {
  if (instancePath === '') return '(answer)';
  let out = '';
  for (const raw of instancePath.slice(1).split('/')) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    out += /^\d+$/.test(part) ? `[${part}]` : out === '' ? part : `.${part}`;
  }
  return out;
}

/** One compiled check of an answer's shape (compiled once, at module load). */
export interface AnswerCheck<T> {
  (call: string, value: unknown): T;
}

function answerCheck<S extends TSchema>(schema: S): AnswerCheck<Static<S>> {
  const validator: Validator<Record<string, never>, S> = Compile(schema);
  return (call, value) => {
    if (validator.Check(value)) return value as Static<S>;
    // Only a bad answer pays for the error list: the first error names the field.
    const [first] = validator.Errors(value);
    if (!first) throw new AgentAnswerError(call, '(answer)', 'does not match the schema');
    // A missing property is reported at its parent: name the property itself.
    const missing =
      first.keyword === 'required'
        ? (first.params as { requiredProperties?: readonly string[] }).requiredProperties?.[0]
        : undefined;
    if (missing !== undefined) {
      const field = fieldPath(
        `${first.instancePath}/${missing.replace(/~/g, '~0').replace(/\//g, '~1')}`,
      );
      throw new AgentAnswerError(call, field, 'is missing');
    }
    throw new AgentAnswerError(call, fieldPath(first.instancePath), first.message);
  };
}

const enforcements = Compile(Type.Array(Enforcement));

/**
 * Reads a compact dump (shared/wire/dump-tsv.ts): every line and field checked as it is read; the
 * enforcement records against their schema. A malformed answer is an `AgentAnswerError` naming
 * the field and the line (`peers[3].transfer_rx (line 5)`).
 */
function dumpTsvCheck(call: string, text: string): Dump {
  try {
    return decodeDumpTsv(text, (value, line) => {
      if (enforcements.Check(value)) return value;
      const [first] = enforcements.Errors(value);
      const at = first ? fieldPath(first.instancePath) : '(answer)';
      const field = at === '(answer)' ? 'enforcements' : `enforcements${at}`;
      throw new DumpTsvError(line, field, first?.message ?? 'does not match the schema');
    });
  } catch (e) {
    if (!(e instanceof DumpTsvError)) throw e;
    throw new AgentAnswerError(call, `${e.field} (line ${e.line})`, e.reason);
  }
}

/** The checks of every answer the panel reads from an agent. */
export const AgentAnswers = {
  health: answerCheck(Health),
  interfaceList: answerCheck(InterfaceList),
  interfaceSummary: answerCheck(InterfaceSummary),
  dump: answerCheck(Dump),
  dumpTsv: dumpTsvCheck,
  enforcementList: answerCheck(EnforcementList),
  ok: answerCheck(Ok),
  system: answerCheck(SystemStatus),
  conf: answerCheck(ConfFileJson),
} as const;
