// Draws the lab's app icons (a small fully connected network: 4-5-3 nodes and their links) as
// PNGs into public/, for the web app manifest. Run once by hand when the icon changes; the PNGs
// are committed (a few KB), so installs and builds do not depend on this script.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
};

function icon(size, padding) {
  const px = new Uint8Array(size * size * 3);
  const bg = [30, 58, 138];
  for (let i = 0; i < size * size; i++) px.set(bg, i * 3);
  const inner = size * (1 - 2 * padding);
  const at = (fx, fy) => [size * padding + fx * inner, size * padding + fy * inner];
  const layers = [4, 5, 3].map((n, l) => Array.from({ length: n }, (_, i) => at(0.12 + l * 0.38, (i + 0.5) / n)));
  const r = inner * 0.055;
  const line = [147, 197, 253];
  // Links first (anti-aliased by distance), then the nodes on top.
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let ink = 0;
      for (let l = 0; l + 1 < layers.length; l++) {
        for (const [ax, ay] of layers[l]) {
          for (const [bx, by] of layers[l + 1]) {
            const dx = bx - ax;
            const dy = by - ay;
            const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)));
            const d = Math.hypot(x - (ax + t * dx), y - (ay + t * dy));
            ink = Math.max(ink, Math.max(0, 1 - Math.max(0, d - size / 256)));
          }
        }
      }
      let node = 0;
      for (const layer of layers)
        for (const [cx, cy] of layer)
          node = Math.max(node, Math.max(0, Math.min(1, r - Math.hypot(x - cx, y - cy) + 0.5)));
      const o = (y * size + x) * 3;
      for (let c = 0; c < 3; c++) {
        const withLine = bg[c] + (line[c] - bg[c]) * ink * 0.7;
        px[o + c] = Math.round(withLine + (255 - withLine) * node);
      }
    }
  }
  const raw = Buffer.alloc(size * (size * 3 + 1));
  for (let y = 0; y < size; y++)
    Buffer.from(px.subarray(y * size * 3, (y + 1) * size * 3)).copy(raw, y * (size * 3 + 1) + 1);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

writeFileSync('public/icon-192.png', icon(192, 0.08));
writeFileSync('public/icon-512.png', icon(512, 0.08));
// Maskable: the network inside the safe zone (the middle 80 %).
writeFileSync('public/icon-maskable-512.png', icon(512, 0.2));
console.log('make-icons: public/icon-192.png, icon-512.png, icon-maskable-512.png');
