// Where the site publishes a credential's or pathway's data: one JSON object per shard, keyed
// by catalog id, at a `{shard}` path template of keys.json `paths`, split into as many shards
// as keys.json `shards` gives for that template. The same function as
// site_builder/contract.py `shard_of`: FNV-1a (32 bits) of the id's UTF-8 bytes, modulo the
// shard count.

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** A property of a parsed JSON object, never one it inherits. */
function own(object, name) {
  return object !== null && typeof object === 'object' && Object.hasOwn(object, name)
    ? object[name]
    : undefined;
}

/** FNV-1a, 32 bits, of a string's UTF-8 bytes. */
export function fnv1a32(text) {
  let hash = FNV_OFFSET;
  for (const byte of new TextEncoder().encode(text)) {
    hash = Math.imul(hash ^ byte, FNV_PRIME) >>> 0;
  }
  return hash >>> 0;
}

/** The shard holding an entry's data, or null when `count` is not a shard count. */
export function shardOf(entryId, count) {
  if (!Number.isInteger(count) || count < 1) return null;
  return fnv1a32(entryId) % count;
}

/**
 * The site path of the shard of template `name` (a keys.json path with `{shard}`) that holds
 * a catalog entry, or null when keys.json gives no usable template or shard count.
 */
export function shardPath(keys, name, entryId) {
  const template = own(own(keys, 'paths'), name);
  const shard = shardOf(entryId, own(own(keys, 'shards'), name));
  if (typeof template !== 'string' || !template.includes('{shard}') || shard === null) {
    return null;
  }
  return template.replace('{shard}', String(shard));
}
