// Whether the Fashion-MNIST files are here (CI installs them with scripts/ensure-dataset.sh):
// without them the training comparisons are skipped with a printed reason.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const DATA_DIRS = [...(process.env.TENSORGRAD_DATA ? [process.env.TENSORGRAD_DATA] : []), '/usr/share/datasets/fashion-mnist'];
export const HAS_DATA = DATA_DIRS.some((d) => existsSync(join(d, 'train-images-idx3-ubyte.gz')) || existsSync(join(d, 'train-images-idx3-ubyte')));
if (!HAS_DATA) console.warn(`crosscheck: training comparison skipped, the Fashion-MNIST files are not in ${DATA_DIRS.join(', ')} (bash scripts/ensure-dataset.sh)`);
