// Copies the non-TypeScript files the library reads at run time into dist/.
import { copyFileSync, mkdirSync } from 'node:fs';

for (const file of ['importer/caffe/caffe.proto', 'exporter/onnx/onnx.proto']) {
  mkdirSync(`dist/${file.slice(0, file.lastIndexOf('/'))}`, { recursive: true });
  copyFileSync(file, `dist/${file}`);
}
