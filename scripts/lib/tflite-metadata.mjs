// Builds a TFLite Support `ModelMetadata` flatbuffer (file identifier "M001"). Field ids and union
// values follow tensorflow/tflite-support metadata_schema.fbs; only the parts an image model needs.
import { Builder } from 'flatbuffers';
import { tableVector } from './flatbuffer-write.mjs';

export const METADATA_FILE_IDENTIFIER = 'M001';

// Field ids (declaration order in metadata_schema.fbs).
const MODEL_METADATA = { name: 0, description: 1, version: 2, subgraphMetadata: 3, author: 4, license: 5, minParserVersion: 7 };
const SUBGRAPH_METADATA = { name: 0, description: 1, inputTensorMetadata: 2, outputTensorMetadata: 3 };
const TENSOR_METADATA = { name: 0, description: 1, content: 3, processUnits: 4 };
const CONTENT = { propertiesType: 0, properties: 1 };
const IMAGE_PROPERTIES = { colorSpace: 0 };
const PROCESS_UNIT = { optionsType: 0, options: 1 };
const NORMALIZATION_OPTIONS = { mean: 0, std: 1 };

// Union and enum values.
const CONTENT_PROPERTIES_IMAGE = 2; // ContentProperties.ImageProperties
const PROCESS_UNIT_NORMALIZATION = 1; // ProcessUnitOptions.NormalizationOptions
const COLOR_SPACES = { RGB: 1, GRAYSCALE: 2 };

/**
 * @typedef {{ name: string, description?: string,
 *   image?: { colorSpace: 'RGB' | 'GRAYSCALE', normalization: { mean: number[], std: number[] } } }} TensorInfo
 * @typedef {{ name: string, description?: string, version?: string, author?: string, license?: string,
 *   inputs: TensorInfo[], outputs: TensorInfo[], minParserVersion: string }} ModelInfo
 */

/** @param {ModelInfo} info @returns {Uint8Array} the serialized ModelMetadata */
export function buildModelMetadata(info) {
  if (!info.inputs.length || !info.outputs.length) throw new Error('metadata needs at least one input and one output tensor');
  const builder = new Builder(1024);
  const inputs = tableVector(builder, info.inputs.map((tensor) => tensorMetadata(builder, tensor)));
  const outputs = tableVector(builder, info.outputs.map((tensor) => tensorMetadata(builder, tensor)));

  builder.startObject(4);
  builder.addFieldOffset(SUBGRAPH_METADATA.inputTensorMetadata, inputs, 0);
  builder.addFieldOffset(SUBGRAPH_METADATA.outputTensorMetadata, outputs, 0);
  const subgraphs = tableVector(builder, [builder.endObject()]);

  const strings = {
    name: builder.createString(info.name),
    description: optionalString(builder, info.description),
    version: optionalString(builder, info.version),
    author: optionalString(builder, info.author),
    license: optionalString(builder, info.license),
    minParserVersion: builder.createString(info.minParserVersion),
  };
  builder.startObject(8);
  builder.addFieldOffset(MODEL_METADATA.name, strings.name, 0);
  builder.addFieldOffset(MODEL_METADATA.description, strings.description, 0);
  builder.addFieldOffset(MODEL_METADATA.version, strings.version, 0);
  builder.addFieldOffset(MODEL_METADATA.subgraphMetadata, subgraphs, 0);
  builder.addFieldOffset(MODEL_METADATA.author, strings.author, 0);
  builder.addFieldOffset(MODEL_METADATA.license, strings.license, 0);
  builder.addFieldOffset(MODEL_METADATA.minParserVersion, strings.minParserVersion, 0);
  builder.finish(builder.endObject(), METADATA_FILE_IDENTIFIER);
  return builder.asUint8Array().slice();
}

/** @param {Builder} builder @param {TensorInfo} tensor */
function tensorMetadata(builder, tensor) {
  const name = builder.createString(tensor.name);
  const description = optionalString(builder, tensor.description);
  let content = 0;
  let processUnits = 0;
  if (tensor.image) {
    const { colorSpace, normalization } = tensor.image;
    if (!(colorSpace in COLOR_SPACES)) throw new Error(`unknown color space ${colorSpace}`);
    builder.startObject(2);
    builder.addFieldInt8(IMAGE_PROPERTIES.colorSpace, COLOR_SPACES[colorSpace], 0);
    const imageProperties = builder.endObject();
    builder.startObject(3);
    builder.addFieldInt8(CONTENT.propertiesType, CONTENT_PROPERTIES_IMAGE, 0);
    builder.addFieldOffset(CONTENT.properties, imageProperties, 0);
    content = builder.endObject();
    processUnits = tableVector(builder, [normalizationUnit(builder, normalization)]);
  }
  builder.startObject(7);
  builder.addFieldOffset(TENSOR_METADATA.name, name, 0);
  builder.addFieldOffset(TENSOR_METADATA.description, description, 0);
  builder.addFieldOffset(TENSOR_METADATA.content, content, 0);
  builder.addFieldOffset(TENSOR_METADATA.processUnits, processUnits, 0);
  return builder.endObject();
}

/** @param {Builder} builder @param {{ mean: number[], std: number[] }} normalization */
function normalizationUnit(builder, { mean, std }) {
  if (!mean.length || mean.length !== std.length) throw new Error('normalization needs matching, non-empty mean and std lists');
  if (std.some((value) => !(value > 0))) throw new Error('normalization std values must be positive');
  const meanVector = float32Vector(builder, mean);
  const stdVector = float32Vector(builder, std);
  builder.startObject(2);
  builder.addFieldOffset(NORMALIZATION_OPTIONS.mean, meanVector, 0);
  builder.addFieldOffset(NORMALIZATION_OPTIONS.std, stdVector, 0);
  const options = builder.endObject();
  builder.startObject(2);
  builder.addFieldInt8(PROCESS_UNIT.optionsType, PROCESS_UNIT_NORMALIZATION, 0);
  builder.addFieldOffset(PROCESS_UNIT.options, options, 0);
  return builder.endObject();
}

/** @param {Builder} builder @param {number[]} values */
function float32Vector(builder, values) {
  builder.startVector(4, values.length, 4);
  for (let i = values.length - 1; i >= 0; i--) builder.addFloat32(values[i]);
  return builder.endVector();
}

/** @param {Builder} builder @param {string | undefined} text */
function optionalString(builder, text) {
  return text === undefined ? 0 : builder.createString(text);
}
