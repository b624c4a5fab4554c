// Writes image tags into a Kustomize overlay with `kustomize edit set image NAME=NEWNAME:TAG` semantics: the
// `images:` entry of NAME is created or replaced (newName, newTag; a digest is dropped), other entries and comments
// are kept.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';

/**
 * Sets `images` entries in `<overlayDir>/kustomization.yaml`.
 * @param {string} overlayDir
 * @param {{ name: string, newName: string, newTag: string }[]} images
 */
export function setOverlayImages(overlayDir, images) {
  const file = join(overlayDir, 'kustomization.yaml');
  const doc = parseDocument(readFileSync(file, 'utf8'));
  if (!doc.has('images')) doc.set('images', doc.createNode([]));
  const seq = doc.get('images');
  for (const img of images) {
    const entry = { name: img.name, newName: img.newName, newTag: img.newTag };
    const i = seq.items.findIndex((it) => (it.get ? it.get('name') : it.name) === img.name);
    if (i >= 0) seq.items[i] = doc.createNode(entry);
    else seq.items.push(doc.createNode(entry));
  }
  writeFileSync(file, doc.toString());
  return file;
}
