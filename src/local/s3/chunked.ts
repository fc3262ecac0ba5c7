import { S3Error } from './errors.js';
import { chunkSignature, sameHex, type SigV4Auth } from './sigv4.js';

export interface DecodedBody {
  body: Buffer;
  trailers: Record<string, string>;
}

const incomplete = () => new S3Error('IncompleteBody', 'The request body is not a valid aws-chunked encoding.');

/**
 * Decodes an aws-chunked body (`<hex>[;chunk-signature=<sig>]\r\n<data>\r\n ... 0...\r\n<trailers>\r\n`).
 * With a signing key, every chunk signature is checked against the seed
 * signature chain (STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]).
 */
export function decodeAwsChunked(raw: Buffer, signing?: { key: Buffer; auth: SigV4Auth }): DecodedBody {
  const parts: Buffer[] = [];
  let pos = 0;
  let previous = signing?.auth.signature ?? '';
  for (;;) {
    const lineEnd = raw.indexOf('\r\n', pos);
    if (lineEnd < 0) throw incomplete();
    const line = raw.subarray(pos, lineEnd).toString('latin1');
    const [sizeHex, ...extensions] = line.split(';');
    if (!/^[0-9a-fA-F]+$/.test(sizeHex ?? '')) throw incomplete();
    const size = parseInt(sizeHex!, 16);
    const start = lineEnd + 2;
    const data = raw.subarray(start, start + size);
    if (data.length !== size) throw incomplete();
    if (signing) {
      const given = extensions.find((e) => e.startsWith('chunk-signature='))?.slice('chunk-signature='.length);
      const expected = chunkSignature(signing.key, signing.auth, previous, data);
      if (given === undefined || !sameHex(expected, given.toLowerCase())) {
        throw new S3Error('SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.');
      }
      previous = expected;
    }
    if (size === 0) {
      pos = start;
      break;
    }
    parts.push(data);
    if (raw.toString('latin1', start + size, start + size + 2) !== '\r\n') throw incomplete();
    pos = start + size + 2;
  }
  const trailers: Record<string, string> = {};
  for (;;) {
    const lineEnd = raw.indexOf('\r\n', pos);
    if (lineEnd < 0) {
      // Some clients end the trailer section without the final empty line.
      if (pos >= raw.length) break;
      throw incomplete();
    }
    const line = raw.subarray(pos, lineEnd).toString('utf8');
    pos = lineEnd + 2;
    if (line === '') break;
    const colon = line.indexOf(':');
    if (colon <= 0) throw incomplete();
    trailers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { body: Buffer.concat(parts), trailers };
}
