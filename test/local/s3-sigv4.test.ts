import { describe, expect, it } from 'vitest';
import { decodeAwsChunked } from '../../src/local/s3/chunked.js';
import { parseSigV4, verifySigV4, type SignedRequest } from '../../src/local/s3/sigv4.js';

// The worked example of AWS's "Signature Calculations for the Authorization
// Header: Transferring Payload in Multiple Chunks" (SigV4 streaming upload).
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const headers: Record<string, string> = {
  host: 's3.amazonaws.com',
  'x-amz-date': '20130524T000000Z',
  'x-amz-storage-class': 'REDUCED_REDUNDANCY',
  authorization:
    'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class,Signature=4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9',
  'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
  'content-encoding': 'aws-chunked',
  'x-amz-decoded-content-length': '66560',
  'content-length': '66824',
};
const req: SignedRequest = {
  method: 'PUT',
  rawPath: '/examplebucket/chunkObject.txt',
  rawQuery: [],
  headers,
  headersDistinct: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
};
const chunk = (data: Buffer, signature: string) => Buffer.concat([Buffer.from(`${data.length.toString(16)};chunk-signature=${signature}\r\n`), data, Buffer.from('\r\n')]);
const body = Buffer.concat([
  chunk(Buffer.alloc(65536, 'a'), 'ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648'),
  chunk(Buffer.alloc(1024, 'a'), '0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497'),
  chunk(Buffer.alloc(0), 'b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9'),
]);

describe('SigV4 verification against AWS documentation vectors', () => {
  it('accepts the seed signature and every chunk signature of the streaming example', () => {
    const auth = parseSigV4(req)!;
    const key = verifySigV4(req, auth, SECRET, new Date('2013-05-24T00:01:00Z'));
    expect(body.length).toBe(66824);
    const decoded = decodeAwsChunked(body, { key, auth });
    expect(decoded.body.equals(Buffer.alloc(66560, 'a'))).toBe(true);
  });

  it('rejects a modified chunk, a wrong secret and a stale request', () => {
    const auth = parseSigV4(req)!;
    const key = verifySigV4(req, auth, SECRET, new Date('2013-05-24T00:01:00Z'));
    const tampered = Buffer.from(body);
    tampered[200] = 'b'.charCodeAt(0);
    expect(() => decodeAwsChunked(tampered, { key, auth })).toThrow(expect.objectContaining({ code: 'SignatureDoesNotMatch' }));
    expect(() => verifySigV4(req, auth, 'other', new Date('2013-05-24T00:01:00Z'))).toThrow(expect.objectContaining({ code: 'SignatureDoesNotMatch' }));
    expect(() => verifySigV4(req, auth, SECRET, new Date('2013-05-24T01:00:00Z'))).toThrow(expect.objectContaining({ code: 'RequestTimeTooSkewed' }));
  });
});
