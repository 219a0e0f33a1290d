// Builds the face-detector asset with the real script and reads the result back with the plain
// flatbuffers ByteBuffer (field ids from TFLite schema.fbs and tflite-support metadata_schema.fbs),
// independently of the builder's own code.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ByteBuffer } from 'flatbuffers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachMetadata } from '../scripts/lib/tflite-attach-metadata.mjs';
import { buildModelMetadata } from '../scripts/lib/tflite-metadata.mjs';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const builderScript = join(repoRoot, 'scripts/build-face-model.mjs');
const sourceModel = join(repoRoot, 'node_modules/@mediapipe/face_detection/face_detection_short_range.tflite');
const fullRangeSource = join(repoRoot, 'node_modules/@mediapipe/face_detection/face_detection_full_range.tflite');

// --- minimal flatbuffer walking ---------------------------------------------------------------
const field = (bb: ByteBuffer, table: number, id: number) => {
  const relative = bb.__offset(table, 4 + 2 * id);
  return relative ? table + relative : 0;
};
const tables = (bb: ByteBuffer, table: number, id: number) => {
  const f = field(bb, table, id);
  if (!f) return [];
  const start = bb.__vector(f);
  return Array.from({ length: bb.__vector_len(f) }, (_, i) => bb.__indirect(start + 4 * i));
};
const table = (bb: ByteBuffer, parent: number, id: number) => bb.__indirect(field(bb, parent, id));
const text = (bb: ByteBuffer, parent: number, id: number) => {
  const f = field(bb, parent, id);
  return f ? (bb.__string(f) as string) : null;
};
const numbers = (bb: ByteBuffer, parent: number, id: number, read: (pos: number) => number) => {
  const f = field(bb, parent, id);
  if (!f) return [];
  const start = bb.__vector(f);
  return Array.from({ length: bb.__vector_len(f) }, (_, i) => read(start + 4 * i));
};
const bytesOf = (bb: ByteBuffer, parent: number, id: number) => {
  const f = field(bb, parent, id);
  if (!f) return { start: 0, bytes: new Uint8Array() };
  const start = bb.__vector(f);
  return { start, bytes: bb.bytes().subarray(start, start + bb.__vector_len(f)) };
};
const uint = (bb: ByteBuffer, parent: number, id: number) => {
  const f = field(bb, parent, id);
  return f ? bb.readUint32(f) : 0;
};

// TFLite schema.fbs field ids.
const MODEL = { version: 0, operatorCodes: 1, subgraphs: 2, description: 3, buffers: 4, metadataBuffer: 5, metadata: 6 };
const SUBGRAPH = { tensors: 0, inputs: 1, outputs: 2, operators: 3 };
const TENSOR = { shape: 0, type: 1, buffer: 2, name: 3 };

function summarizeModel(bytes: Uint8Array) {
  const bb = new ByteBuffer(bytes);
  const model = bb.__indirect(0);
  const [subgraph, ...otherSubgraphs] = tables(bb, model, MODEL.subgraphs);
  const tensors = tables(bb, subgraph, SUBGRAPH.tensors).map((tensor) => ({
    name: text(bb, tensor, TENSOR.name),
    shape: numbers(bb, tensor, TENSOR.shape, (p) => bb.readInt32(p)),
    type: field(bb, tensor, TENSOR.type) ? bb.readInt8(field(bb, tensor, TENSOR.type)) : 0,
    buffer: uint(bb, tensor, TENSOR.buffer),
  }));
  return {
    bb,
    model,
    identifier: bb.__has_identifier('TFL3'),
    version: uint(bb, model, MODEL.version),
    description: text(bb, model, MODEL.description),
    operatorCodes: tables(bb, model, MODEL.operatorCodes).length,
    subgraphCount: 1 + otherSubgraphs.length,
    operators: tables(bb, subgraph, SUBGRAPH.operators).length,
    inputs: numbers(bb, subgraph, SUBGRAPH.inputs, (p) => bb.readInt32(p)).map((i) => tensors[i]),
    outputs: numbers(bb, subgraph, SUBGRAPH.outputs, (p) => bb.readInt32(p)).map((i) => tensors[i]),
    tensors,
    buffers: tables(bb, model, MODEL.buffers).map((buffer) => bytesOf(bb, buffer, 0)),
    metadataBuffer: numbers(bb, model, MODEL.metadataBuffer, (p) => bb.readInt32(p)),
    metadata: tables(bb, model, MODEL.metadata).map((entry) => ({ name: text(bb, entry, 0), buffer: uint(bb, entry, 1) })),
  };
}

// tflite-support metadata_schema.fbs: the parts the face detector relies on.
function readModelMetadata(bytes: Uint8Array) {
  const bb = new ByteBuffer(bytes);
  const root = bb.__indirect(0);
  const [subgraph] = tables(bb, root, 3);
  const tensorInfo = (tensor: number) => ({
    name: text(bb, tensor, 0),
    processUnits: tables(bb, tensor, 4).map((unit) => {
      const optionsType = bb.readUint8(field(bb, unit, 0));
      const options = table(bb, unit, 1);
      return {
        optionsType,
        mean: numbers(bb, options, 0, (p) => bb.readFloat32(p)),
        std: numbers(bb, options, 1, (p) => bb.readFloat32(p)),
      };
    }),
  });
  return {
    identifier: bb.__has_identifier('M001'),
    name: text(bb, root, 0),
    minParserVersion: text(bb, root, 7),
    inputs: tables(bb, subgraph, 2).map(tensorInfo),
    outputs: tables(bb, subgraph, 3).map(tensorInfo),
  };
}

// --- the tests ---------------------------------------------------------------------------------
describe('scripts/build-face-model.mjs', () => {
  let workDir: string;
  let built: Uint8Array;
  let rebuilt: Uint8Array;
  let fullRange: Uint8Array;

  beforeAll(() => {
    workDir = mkdtempSync(join(tmpdir(), 'face-model-'));
    for (const name of ['first', 'second']) {
      execFileSync(process.execPath, [builderScript, join(workDir, name)], { stdio: 'pipe' });
    }
    built = new Uint8Array(readFileSync(join(workDir, 'first', 'face_detector.tflite')));
    rebuilt = new Uint8Array(readFileSync(join(workDir, 'second', 'face_detector.tflite')));
    fullRange = new Uint8Array(readFileSync(join(workDir, 'first', 'face_detector_full_range.tflite')));
    const fullAgain = new Uint8Array(readFileSync(join(workDir, 'second', 'face_detector_full_range.tflite')));
    if (Buffer.compare(fullRange, fullAgain) !== 0) throw new Error('two full-range builds differ');
  });
  afterAll(() => rmSync(workDir, { recursive: true, force: true }));

  it('is deterministic: two builds are byte-identical', () => {
    expect(built.length).toBeGreaterThan(200_000);
    expect(Buffer.compare(built, rebuilt)).toBe(0);
  });

  it('adds a TFLITE_METADATA entry pointing at an M001 metadata buffer with [-1,1] input normalization', () => {
    const model = summarizeModel(built);
    expect(model.identifier).toBe(true);
    const entries = model.metadata.filter((entry) => entry.name === 'TFLITE_METADATA');
    expect(entries).toHaveLength(1);
    const { start, bytes } = model.buffers[entries[0].buffer];
    expect(start % 16).toBe(0); // Buffer.data is force_align 16
    expect(new TextDecoder().decode(bytes.subarray(4, 8))).toBe('M001');

    const metadata = readModelMetadata(bytes);
    expect(metadata.identifier).toBe(true);
    expect(metadata.name).toMatch(/BlazeFace/);
    expect(metadata.minParserVersion).toBe('1.0.0');
    expect(metadata.inputs).toEqual([
      { name: 'image', processUnits: [{ optionsType: 1 /* NormalizationOptions */, mean: [127.5], std: [127.5] }] },
    ]);
    expect(metadata.outputs.map((output) => output.name)).toEqual(['regressors', 'classificators']);
  });

  it('keeps the original network intact', () => {
    const source = summarizeModel(new Uint8Array(readFileSync(sourceModel)));
    const model = summarizeModel(built);
    expect(model.inputs).toEqual([{ name: 'input', shape: [1, 128, 128, 3], type: 0 /* FLOAT32 */, buffer: source.inputs[0].buffer }]);
    expect(model.outputs.map((tensor) => tensor.shape)).toEqual([
      [1, 896, 16],
      [1, 896, 1],
    ]);
    for (const key of ['version', 'description', 'operatorCodes', 'subgraphCount', 'operators', 'tensors', 'metadataBuffer'] as const) {
      expect(model[key], key).toEqual(source[key]);
    }
    // Every original buffer (the weights) is still there, with the same bytes, at the same index.
    expect(model.buffers).toHaveLength(source.buffers.length + 1);
    // ...and keeps its alignment: the original block moved by a multiple of 16 bytes.
    source.buffers.forEach(({ start, bytes }, index) => {
      expect(Buffer.compare(model.buffers[index].bytes, bytes), `buffer ${index}`).toBe(0);
      if (bytes.length) expect((model.buffers[index].start - start) % 16, `buffer ${index} shift`).toBe(0);
    });
  });

  it('builds the full-range network (192x192, 2304 anchors) the same way, for photos', () => {
    const source = summarizeModel(new Uint8Array(readFileSync(fullRangeSource)));
    const model = summarizeModel(fullRange);
    expect(model.inputs[0].shape).toEqual([1, 192, 192, 3]);
    expect(model.outputs.map((tensor) => tensor.shape)).toEqual([
      [1, 2304, 16],
      [1, 2304, 1],
    ]);
    expect(model.operators).toEqual(source.operators);
    const entry = model.metadata.find((e) => e.name === 'TFLITE_METADATA')!;
    const metadata = readModelMetadata(model.buffers[entry.buffer].bytes);
    expect(metadata.name).toBe('BlazeFace (full-range)');
    expect(metadata.inputs[0].processUnits).toEqual([{ optionsType: 1, mean: [127.5], std: [127.5] }]);
  });

  it('refuses input that is not a TFLite model or already has metadata', () => {
    const metadata = buildModelMetadata({
      name: 'test',
      inputs: [{ name: 'image', image: { colorSpace: 'RGB', normalization: { mean: [127.5], std: [127.5] } } }],
      outputs: [{ name: 'out' }],
      minParserVersion: '1.0.0',
    });
    expect(() => attachMetadata(metadata, metadata)).toThrow(/not a TFLite model/);
    expect(() => attachMetadata(built, metadata)).toThrow(/already has TFLITE_METADATA/);
  });
});
