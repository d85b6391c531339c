# PyTorch reference definitions of the U-Nets (read by unet.test.ts and run with Debian's torch 1.13):
# BookUNet is the book's chapter 9 model (Chapter09/Semantic_Segmentation_with_U_Net.ipynb: the same
# layers, names and forward order; up_conv is a bare ConvTranspose2d there too); UNet is milesial/Pytorch-UNet's, with the base
# channels and the depth as parameters (64 and 4 give its model).
import torch, torch.nn as nn, torch.nn.functional as F
from torchvision.models import vgg16_bn
def conv(i, o):
    return nn.Sequential(nn.Conv2d(i, o, kernel_size=3, stride=1, padding=1), nn.BatchNorm2d(o), nn.ReLU(inplace=True))
def up_conv(i, o):
    return nn.ConvTranspose2d(i, o, kernel_size=2, stride=2)
class BookUNet(nn.Module):
    def __init__(self, pretrained=True, out_channels=12):
        super().__init__()
        self.encoder = vgg16_bn(pretrained=pretrained).features
        self.block1 = nn.Sequential(*self.encoder[:6])
        self.block2 = nn.Sequential(*self.encoder[6:13])
        self.block3 = nn.Sequential(*self.encoder[13:20])
        self.block4 = nn.Sequential(*self.encoder[20:27])
        self.block5 = nn.Sequential(*self.encoder[27:34])
        self.bottleneck = nn.Sequential(*self.encoder[34:])
        self.conv_bottleneck = conv(512, 1024)
        self.up_conv6 = up_conv(1024, 512)
        self.conv6 = conv(512 + 512, 512)
        self.up_conv7 = up_conv(512, 256)
        self.conv7 = conv(256 + 512, 256)
        self.up_conv8 = up_conv(256, 128)
        self.conv8 = conv(128 + 256, 128)
        self.up_conv9 = up_conv(128, 64)
        self.conv9 = conv(64 + 128, 64)
        self.up_conv10 = up_conv(64, 32)
        self.conv10 = conv(32 + 64, 32)
        self.conv11 = nn.Conv2d(32, out_channels, kernel_size=1)
    def forward(self, x):
        block1 = self.block1(x); block2 = self.block2(block1); block3 = self.block3(block2)
        block4 = self.block4(block3); block5 = self.block5(block4)
        bottleneck = self.bottleneck(block5)
        x = self.conv_bottleneck(bottleneck)
        x = self.up_conv6(x); x = torch.cat([x, block5], dim=1); x = self.conv6(x)
        x = self.up_conv7(x); x = torch.cat([x, block4], dim=1); x = self.conv7(x)
        x = self.up_conv8(x); x = torch.cat([x, block3], dim=1); x = self.conv8(x)
        x = self.up_conv9(x); x = torch.cat([x, block2], dim=1); x = self.conv9(x)
        x = self.up_conv10(x); x = torch.cat([x, block1], dim=1); x = self.conv10(x)
        return self.conv11(x)

class DoubleConv(nn.Module):
    def __init__(self, i, o, mid=None):
        super().__init__()
        mid = mid or o
        self.double_conv = nn.Sequential(nn.Conv2d(i, mid, 3, padding=1, bias=False), nn.BatchNorm2d(mid), nn.ReLU(inplace=True),
                                         nn.Conv2d(mid, o, 3, padding=1, bias=False), nn.BatchNorm2d(o), nn.ReLU(inplace=True))
    def forward(self, x): return self.double_conv(x)
class Down(nn.Module):
    def __init__(self, i, o):
        super().__init__()
        self.maxpool_conv = nn.Sequential(nn.MaxPool2d(2), DoubleConv(i, o))
    def forward(self, x): return self.maxpool_conv(x)
class Up(nn.Module):
    def __init__(self, i, o, bilinear=True):
        super().__init__()
        if bilinear:
            self.up = nn.Upsample(scale_factor=2, mode='bilinear', align_corners=True)
            self.conv = DoubleConv(i, o, i // 2)
        else:
            self.up = nn.ConvTranspose2d(i, i // 2, kernel_size=2, stride=2)
            self.conv = DoubleConv(i, o)
    def forward(self, x1, x2):
        x1 = self.up(x1)
        dy = x2.size()[2] - x1.size()[2]; dx = x2.size()[3] - x1.size()[3]
        x1 = F.pad(x1, [dx // 2, dx - dx // 2, dy // 2, dy - dy // 2])
        return self.conv(torch.cat([x2, x1], dim=1))
class OutConv(nn.Module):
    def __init__(self, i, o):
        super().__init__()
        self.conv = nn.Conv2d(i, o, kernel_size=1)
    def forward(self, x): return self.conv(x)
class UNet(nn.Module):
    # milesial/Pytorch-UNet's UNet(n_channels, n_classes, bilinear), generalised to base channels and depth
    def __init__(self, n_channels, n_classes, bilinear=False, base=64, depth=4):
        super().__init__()
        self.depth = depth
        factor = 2 if bilinear else 1
        ch = lambda i: base * 2 ** i
        self.inc = DoubleConv(n_channels, base)
        for i in range(1, depth + 1):
            setattr(self, f'down{i}', Down(ch(i - 1), ch(i) // factor if i == depth else ch(i)))
        for j in range(1, depth + 1):
            i = depth - j + 1
            setattr(self, f'up{j}', Up(ch(i), ch(0) if j == depth else ch(i - 1) // factor, bilinear))
        self.outc = OutConv(base, n_classes)
    def forward(self, x):
        skips = [self.inc(x)]
        for i in range(1, self.depth + 1):
            skips.append(getattr(self, f'down{i}')(skips[-1]))
        y = skips[self.depth]
        for j in range(1, self.depth + 1):
            y = getattr(self, f'up{j}')(y, skips[self.depth - j])
        return self.outc(y)
