import { checkOptionKeys, isOptionsObject, parseArgs, refuseUnsupported, signature, type Signature } from '@tensorgrad/tensor/backend';

export { checkOptionKeys, isOptionsObject, parseArgs, refuseUnsupported, signature, type Signature };
