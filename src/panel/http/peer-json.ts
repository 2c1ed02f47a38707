// The mapper lives with the peers use cases (the notifications' payloads use it too).
export {
  toPeerJson,
  type PeerAttachments,
  type PeerJsonListingSource,
  type PeerJsonSource,
} from '../app/peers/peer-json.js';
export { PeerJson } from '../../shared/wire/panel-api.js';
