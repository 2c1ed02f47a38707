// The mapper lives with the peers use cases (the notifications' payloads use it too).
export {
  toPeerJson,
  derivePeerJson,
  peerJsonContext,
  PEER_JSON_FIELDS,
  NO_ATTACHMENTS,
  type Derived,
  type PeerJsonContext,
  type PeerJsonRow,
  type PeerAttachments,
  type PeerJsonListingSource,
  type PeerJsonSource,
} from '../app/peers/peer-json.js';
export { PeerJson } from '../../shared/wire/panel-api.js';
