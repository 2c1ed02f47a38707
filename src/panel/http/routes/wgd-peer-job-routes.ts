import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import {
  deleteJob,
  jobLogs,
  saveJob,
  type PeerJobDeps,
} from '../../app/wgdashboard/peer-job-service.js';
import { ConfigNameParams } from '../../../shared/wire/panel-api.js';
import { PeerJobBody, PeerJobJson, PeerJobLogJson } from '../../../shared/wire/panel/peer-jobs.js';
import { Envelope, FailureBody, ok } from '../envelope.js';

const fail = { 400: FailureBody, 401: FailureBody, 404: FailureBody, 409: FailureBody };

/**
 * WGDashboard 4.3's peer jobs: savePeerScheduleJob, deletePeerScheduleJob,
 * getPeerScheduleJobLogs. The two quota jobs are the peer's traffic limit and expiry date (one
 * truth, enforced by the panel's policy); the others run once on the poll (PeerJobRunner).
 */
export const wgdPeerJobRoutes =
  (deps: PeerJobDeps): FastifyPluginAsync =>
  async (plain) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    const tags = ['usage'];

    app.post(
      '/api/savePeerScheduleJob',
      {
        schema: {
          tags,
          summary:
            'Save a peer job: `total_data lgt <GiB> → restrict` sets the traffic limit, `date lgt <date> → restrict` the expiry date (the policy enforces them at once); any other job is stored and run once after a poll',
          body: PeerJobBody,
          response: { 200: Envelope(Type.Array(PeerJobJson)), ...fail },
        },
      },
      async (req) => ok(await saveJob(deps, req.body.Job)),
    );

    app.post(
      '/api/deletePeerScheduleJob',
      {
        schema: {
          tags,
          summary:
            'Delete a peer job: clears the traffic limit or the expiry date it stands for, or ends a stored job',
          body: PeerJobBody,
          response: { 200: Envelope(Type.Null()), ...fail },
        },
      },
      async (req) => {
        await deleteJob(deps, req.body.Job);
        return ok(null);
      },
    );

    app.get(
      '/api/getPeerScheduleJobLogs/:configName',
      {
        schema: {
          tags,
          summary:
            'The log of a configuration’s peer jobs, oldest first (made, changed, removed, and each cut they caused), in WGDashboard 4.3’s wording',
          params: ConfigNameParams,
          querystring: Type.Object({ requestAll: Type.Optional(Type.String({ maxLength: 8 })) }),
          response: { 200: Envelope(Type.Array(PeerJobLogJson)), ...fail },
        },
      },
      async (req) => ok(await jobLogs(deps, req.params.configName)),
    );
  };
