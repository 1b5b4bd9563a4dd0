// The sections of a wasm module, read from its bytes: what the widget build drops (build.mjs)
// and where the start-up benchmark finds each function's size (bench/lazy-compile.mjs).

/** LEB128 unsigned at `at`: [value, next offset]. */
export function uleb(bytes, at) {
  let value = 0;
  for (let shift = 0; ; shift += 7) {
    const b = bytes[at++];
    value += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) return [value, at];
  }
}

/** Each section after the header: `{id, start, body, end}`, and `name` for a custom one. */
export function* sections(bytes) {
  for (let at = 8; at < bytes.length; ) {
    const start = at;
    const id = bytes[at];
    const [size, body] = uleb(bytes, at + 1);
    at = body + size;
    if (id === 0) {
      const [length, name] = uleb(bytes, body);
      yield { id, start, body, end: at, name: Buffer.from(bytes.subarray(name, name + length)).toString('utf8') };
    } else {
      yield { id, start, body, end: at };
    }
  }
}
