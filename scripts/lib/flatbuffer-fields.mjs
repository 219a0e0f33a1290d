// Schema-less reading of a FlatBuffer through the `flatbuffers` ByteBuffer: enough to walk the few
// TFLite tables the face-model builder touches, by field id (ids come from the public .fbs schemas).
import { ByteBuffer } from 'flatbuffers';

/** @param {Uint8Array} bytes */
export function openFlatBuffer(bytes) {
  return new ByteBuffer(bytes);
}

/** Absolute position of the root table. @param {ByteBuffer} bb */
export function rootTable(bb) {
  return bb.__indirect(bb.position());
}

/** Absolute position of field `id` of the table at `table`, or 0 when the field is absent. */
export function fieldPosition(/** @type {ByteBuffer} */ bb, /** @type {number} */ table, /** @type {number} */ id) {
  const relative = bb.__offset(table, 4 + 2 * id);
  return relative ? table + relative : 0;
}

/** Number of field slots the table's vtable declares (fields past it are absent). */
export function vtableFieldCount(/** @type {ByteBuffer} */ bb, /** @type {number} */ table) {
  const vtable = table - bb.readInt32(table);
  return (bb.readInt16(vtable) - 4) / 2;
}

/** Absolute position of the object (table, vector or string) an offset field points to, or 0. */
export function referencedObject(/** @type {ByteBuffer} */ bb, /** @type {number} */ table, /** @type {number} */ id) {
  const field = fieldPosition(bb, table, id);
  return field ? bb.__indirect(field) : 0;
}

/** Absolute positions of the tables in a vector-of-tables field ([] when absent). */
export function tablesInVector(/** @type {ByteBuffer} */ bb, /** @type {number} */ table, /** @type {number} */ id) {
  const field = fieldPosition(bb, table, id);
  if (!field) return [];
  const start = bb.__vector(field);
  return Array.from({ length: bb.__vector_len(field) }, (_, i) => bb.__indirect(start + 4 * i));
}

/** Values of an int32 vector field ([] when absent). */
export function int32Vector(/** @type {ByteBuffer} */ bb, /** @type {number} */ table, /** @type {number} */ id) {
  const field = fieldPosition(bb, table, id);
  if (!field) return [];
  const start = bb.__vector(field);
  return Array.from({ length: bb.__vector_len(field) }, (_, i) => bb.readInt32(start + 4 * i));
}

/** Bytes of a [ubyte] vector field (a view, no copy), or null when absent. */
export function byteVector(/** @type {ByteBuffer} */ bb, /** @type {number} */ table, /** @type {number} */ id) {
  const field = fieldPosition(bb, table, id);
  if (!field) return null;
  const start = bb.__vector(field);
  return bb.bytes().subarray(start, start + bb.__vector_len(field));
}

/** A string field, or null when absent. */
export function stringField(/** @type {ByteBuffer} */ bb, /** @type {number} */ table, /** @type {number} */ id) {
  const field = fieldPosition(bb, table, id);
  return field ? /** @type {string} */ (bb.__string(field)) : null;
}
