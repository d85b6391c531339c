/**
 * `@tensorgrad/vision`: torchvision's layout and names for tensorgrad — transforms, image IO,
 * datasets, models and utils (ARCHITECTURE.md).
 *
 * @packageDocumentation
 */
export { normalize, type NormalizeOptions } from './transforms/normalize.js';
// transforms (torchvision.transforms): functionals and classes
export { InterpolationMode, type Interpolation } from './transforms/common.js';
export { toTensor, type ImageDataLike } from './transforms/to-tensor.js';
export { resize, type ResizeOptions } from './transforms/resize.js';
export { crop, centerCrop, resizedCrop, type CropOptions, type ResizedCropOptions } from './transforms/crop.js';
export { hflip, vflip } from './transforms/flip.js';
export { pad, type PadImageOptions, type PaddingMode } from './transforms/pad.js';
export { rotate, affine, type RotateOptions, type AffineOptions, type GridInterpolation } from './transforms/affine.js';
export { adjustBrightness, adjustContrast, adjustSaturation, adjustHue, rgbToGrayscale } from './transforms/color.js';
export { Transform } from './transforms/transform.js';
export * as functional from './transforms/functional.js';
export {
  Compose,
  ToTensor,
  Normalize,
  Resize,
  CenterCrop,
  Pad,
  RandomCrop,
  RandomResizedCrop,
  RandomHorizontalFlip,
  RandomVerticalFlip,
  RandomRotation,
  RandomAffine,
  ColorJitter,
  Grayscale,
  RandomApply,
  Lambda,
  type TransformLike,
  type RandomTransformOptions,
  type RandomResizedCropOptions,
  type RandomAffineOptions,
  type ColorJitterOptions,
} from './transforms/classes.js';
// image IO (torchvision.io)
export { decodeImage, readImage, type DecodeImageOptions, type ImageReadMode } from './io/decode-image.js';
export { encodePng, writePng, encodeJpeg, writeJpeg, type EncodePngOptions, type EncodeJpegOptions } from './io/encode-image.js';
// utils (torchvision.utils)
export { makeGrid, type MakeGridOptions } from './utils/make-grid.js';
export { saveImage, type SaveImageOptions } from './utils/save-image.js';
export { drawBoundingBoxes, type DrawBoundingBoxesOptions, type Color } from './utils/draw-bounding-boxes.js';
// datasets (torchvision.datasets)
export { ImageFolder, IMG_EXTENSIONS, type ImageFolderOptions } from './datasets/image-folder.js';
// datasets for detection and segmentation (issue #14): generated Fashion-MNIST scenes, detection collate
export {
  FashionMNISTScenes,
  FASHION_SCENE_CLASSES,
  detectionCollate,
  type FashionMNISTScenesOptions,
  type FashionMNISTScenesLoadOptions,
  type SceneTarget,
  type SceneArrays,
  type SceneBackground,
} from './datasets/fashion-mnist-scenes.js';
// models (torchvision.models)
export {
  VGG,
  makeLayers,
  vggConfigs,
  vgg11,
  vgg11Bn,
  vgg13,
  vgg13Bn,
  vgg16,
  vgg16Bn,
  vgg19,
  vgg19Bn,
  type VGGConfigEntry,
  type VGGOptions,
  type VGGBuilderOptions,
  type MakeLayersOptions,
} from './models/vgg.js';
export {
  ResNet,
  BasicBlock,
  Bottleneck,
  resnet18,
  resnet34,
  resnet50,
  resnet101,
  resnet152,
  type BlockOptions,
  type NormLayer,
  type ResNetBlock,
  type ResNetOptions,
  type ResNetBuilderOptions,
} from './models/resnet.js';
// utils: Grad-CAM / CAM (torchvision has none; the book's chapter 6 and pytorch-grad-cam)
export { gradCam, cam, type CamOptions, type CamModel } from './utils/grad-cam.js';
// models.detection: SSD (torchvision's models/detection/ssd.py and anchor_utils.DefaultBoxGenerator)
export { DefaultBoxGenerator, type DefaultBoxGeneratorOptions, type ImageListLike } from './models/detection/default-box-generator.js';
export { SSDHead, SSDScoringHead, SSDClassificationHead, SSDRegressionHead, SSDFeatureExtractorVGG, type SSDHeadOutput } from './models/detection/ssd-heads.js';
export { SSD, ssd300Vgg16, type SSDOptions, type SSD300VGG16Options, type SSDLosses } from './models/detection/ssd.js';
// ops (torchvision.ops): boxes and losses
export { boxArea } from './ops/box-area.js';
export { boxIou } from './ops/box-iou.js';
export { generalizedBoxIou } from './ops/generalized-box-iou.js';
export { generalizedBoxIouLoss, type GeneralizedBoxIouLossOptions } from './ops/generalized-box-iou-loss.js';
export { boxConvert, type BoxConvertOptions, type BoxFormat } from './ops/box-convert.js';
export { clipBoxesToImage, type ClipBoxesToImageOptions } from './ops/clip-boxes-to-image.js';
export { removeSmallBoxes, removeSmallBoxesAsync, type RemoveSmallBoxesOptions } from './ops/remove-small-boxes.js';
export { sigmoidFocalLoss, type SigmoidFocalLossOptions } from './ops/sigmoid-focal-loss.js';
// Faster R-CNN (torchvision.ops.misc / feature_pyramid_network, torchvision.models.detection)
export { FrozenBatchNorm2d, Conv2dNormActivation, type FrozenBatchNorm2dOptions, type Conv2dNormActivationOptions, type LayerFactory } from './ops/misc.js';
export { FeaturePyramidNetwork, ExtraFPNBlock, LastLevelMaxPool, type FeaturePyramidNetworkOptions } from './ops/feature-pyramid-network.js';
export { IntermediateLayerGetter, BackboneWithFPN, resnetFpnBackbone, type ResnetFpnBackboneOptions } from './models/detection/backbone-utils.js';
export { GeneralizedRCNNTransform, ImageList, type GeneralizedRCNNTransformOptions } from './models/detection/transform.js';
export { AnchorGenerator, type AnchorGeneratorOptions } from './models/detection/anchor-utils.js';
export { RPNHead, RegionProposalNetwork, type RegionProposalNetworkOptions, type TrainTestCounts } from './models/detection/rpn.js';
export { RoIHeads, fastrcnnLoss, type Detection, type BoxRoiPool } from './models/detection/roi-heads.js';
export { GeneralizedRCNN, type DetectorOutput } from './models/detection/generalized-rcnn.js';
export {
  FasterRCNN,
  TwoMLPHead,
  FastRCNNPredictor,
  fasterrcnnResnet50Fpn,
  type FasterRCNNOptions,
  type FasterRCNNResNet50FPNOptions,
} from './models/detection/faster-rcnn.js';
// models.detection._utils: box coding, matching and sampling (torchvision's det_utils)
export { BoxCoder, type BoxCoderOptions } from './models/detection/box-coder.js';
export { Matcher, SSDMatcher, type MatcherOptions, type SSDMatcherOptions } from './models/detection/matcher.js';
export {
  BalancedPositiveNegativeSampler,
  type BalancedPositiveNegativeSamplerOptions,
  type SampledMasks,
} from './models/detection/balanced-positive-negative-sampler.js';
// metrics: detection mean average precision (COCO / torchmetrics) and PASCAL VOC's AP
export { MeanAveragePrecision, type MeanAveragePrecisionOptions, type MeanAveragePrecisionResult } from './metrics/mean-average-precision.js';
export { averagePrecision, averagePrecisionAsync, type AveragePrecisionOptions, type AveragePrecisionResult, type ApInterpolation } from './metrics/average-precision.js';
export {
  precisionRecallCurve,
  precisionRecallCurveAsync,
  type PrecisionRecallCurve,
  type PrecisionRecallCurveOptions,
} from './metrics/precision-recall-curve.js';
export { vocAp, type VocApOptions } from './metrics/voc-ap.js';
export type { DetectionPrediction, DetectionTarget } from './metrics/detection-inputs.js';
// ops (torchvision.ops): RoI and NMS
export { roiAlign, RoIAlign, type RoiAlignOptions, type RoiBoxes } from './ops/roi-align.js';
export { roiPool, RoIPool, type RoiPoolOptions } from './ops/roi-pool.js';
export { nms, nmsAsync, batchedNms, batchedNmsAsync, type NmsOptions, type BatchedNmsOptions } from './ops/nms.js';
export { MultiScaleRoIAlign, type MultiScaleRoIAlignOptions, type FeatureMaps } from './ops/poolers.js';
