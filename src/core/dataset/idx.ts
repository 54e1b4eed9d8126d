/**
 * IDX file parsing (the format of the original MNIST files), with validation that names the file
 * and says what is wrong. Only unsigned-byte data (type 0x08) is used by MNIST.
 *
 * Layout: 2 zero bytes, type byte, number of dimensions, then one big-endian uint32 per dimension,
 * then the data, row-major.
 */

export class IdxError extends Error {
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(`${file}: ${detail}`);
    this.name = 'IdxError';
  }
}

export interface IdxArray {
  readonly dims: readonly number[];
  /** The data bytes, a view into the input buffer (no copy). */
  readonly data: Uint8Array;
}

export interface IdxExpectation {
  /** Expected dimensions, e.g. [60000, 28, 28] for training images. */
  readonly dims: readonly number[];
}

const UNSIGNED_BYTE = 0x08;

function hex(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}

/**
 * Parses an IDX buffer of unsigned bytes and checks its magic number, dimensions and length.
 * Throws IdxError naming `file` on anything unexpected.
 */
export function parseIdx(buffer: ArrayBuffer | Uint8Array, file: string, expect: IdxExpectation): IdxArray {
  const bytes = buffer instanceof Uint8Array ? buffer : new Uint8Array(buffer);
  const rank = expect.dims.length;
  const headerBytes = 4 + 4 * rank;
  if (bytes.byteLength < headerBytes) {
    throw new IdxError(file, `file is ${bytes.byteLength} bytes, too short for an IDX header (${headerBytes} bytes)`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, false);
  const expectedMagic = (UNSIGNED_BYTE << 8) | rank;
  if (magic !== expectedMagic) {
    const zeros = view.getUint16(0, false);
    const reason =
      zeros !== 0
        ? 'not an IDX file'
        : view.getUint8(2) !== UNSIGNED_BYTE
          ? `data type ${hex(view.getUint8(2)).slice(-2)} is not unsigned byte (08)`
          : `${view.getUint8(3)} dimensions, expected ${rank}`;
    throw new IdxError(file, `bad magic number ${hex(magic)}, expected ${hex(expectedMagic)} (${reason})`);
  }
  const dims: number[] = [];
  for (let i = 0; i < rank; i++) dims.push(view.getUint32(4 + 4 * i, false));
  const wrong = dims.findIndex((d, i) => d !== expect.dims[i]);
  if (wrong >= 0) {
    throw new IdxError(file, `dimensions ${dims.join('x')}, expected ${expect.dims.join('x')}`);
  }
  const size = dims.reduce((a, b) => a * b, 1);
  const actual = bytes.byteLength - headerBytes;
  if (actual !== size) {
    throw new IdxError(
      file,
      actual < size
        ? `truncated: ${actual} data bytes, expected ${size}`
        : `${actual - size} unexpected bytes after the ${size} data bytes`,
    );
  }
  return { dims, data: bytes.subarray(headerBytes) };
}

/** Checks that every label is a class 0..numClasses-1; throws IdxError naming the first bad one. */
export function checkLabels(labels: Uint8Array, file: string, numClasses: number): void {
  const bad = labels.findIndex((l) => l >= numClasses);
  if (bad >= 0) throw new IdxError(file, `label ${labels[bad]} at index ${bad} is not a class 0..${numClasses - 1}`);
}
