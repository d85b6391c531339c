// The shared op suite (golden PyTorch values, float64-reference properties, gradcheck) on the
// reference CPU backend.
import '@tensorgrad/backend-cpu';
import '@tensorgrad/autodiff';
import { runConformance } from '@tensorgrad/conformance';

runConformance('cpu');
