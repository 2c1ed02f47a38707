import { Type, type Static } from 'typebox';
import { ConfigName, Nullable } from './common.js';

/** A peer job as WGDashboard 4.3 answers it (PeerJob.toJson); dates `YYYY-MM-DD HH:MM:SS` UTC. */
export const PeerJobJson = Type.Object({
  JobID: Type.String(),
  Configuration: Type.String(),
  Peer: Type.String({ description: 'The public key' }),
  Field: Type.String({ description: 'total_receive | total_sent | total_data | date' }),
  Operator: Type.String({ description: 'lgt | lst | eq | neq' }),
  Value: Type.String({ description: 'GiB for the data fields; a date for `date`' }),
  CreationDate: Type.String(),
  ExpireDate: Nullable(Type.String()),
  Action: Type.String({ description: 'restrict | delete | reset_total_data_usage' }),
});
export type PeerJobJson = Static<typeof PeerJobJson>;

const Text = (max: number) => Type.String({ maxLength: max });

/** `{Job: {...}}`, as 4.3's savePeerScheduleJob and deletePeerScheduleJob take it. */
export const PeerJobBody = Type.Object({
  Job: Type.Object(
    {
      JobID: Type.Optional(Text(128)),
      Configuration: ConfigName,
      Peer: Type.String({ minLength: 1, maxLength: 64 }),
      Field: Text(32),
      Operator: Text(8),
      Value: Type.Union([Text(64), Type.Number()]),
      CreationDate: Type.Optional(Nullable(Text(32))),
      ExpireDate: Type.Optional(Nullable(Text(32))),
      Action: Text(32),
    },
    { additionalProperties: true },
  ),
});
export type PeerJobBody = Static<typeof PeerJobBody>;

/** One line of a configuration's job log, as 4.3's getPeerScheduleJobLogs answers it. */
export const PeerJobLogJson = Type.Object({
  LogID: Type.String(),
  JobID: Type.String(),
  LogDate: Type.String(),
  Status: Type.String({ description: '"true" or "false", as 4.3 stores it' }),
  Message: Type.String(),
});
export type PeerJobLogJson = Static<typeof PeerJobLogJson>;
