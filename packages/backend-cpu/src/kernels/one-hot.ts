import type { KernelMap } from '@tensorgrad/tensor';
import { numbers, result, stridedOffsets } from '../util.js';

export const oneHot: KernelMap['oneHot'] = (x, { numClasses }) => {
  const { out, data } = result([...x.shape, numClasses], 'int32');
  const src = numbers(x);
  const offs = stridedOffsets(x);
  for (let i = 0; i < offs.length; i++) data[i * numClasses + src[offs[i]!]!] = 1;
  return out;
};
