# The chapter 13 models as PyTorch modules, for the cross-checks of
# chapter13-pix2pix-cyclegan.test.ts: the pix2pix U-Net generator and PatchGAN of the PyTorch-GAN
# reference (eriklindernoren, implementations/pix2pix/models.py) that the book follows, and the
# CycleGAN ResidualBlock / GeneratorResNet / Discriminator of the book's Chapter13/CycleGAN.ipynb
# (the pix2pix notebook, Chapter13/pix2pix.ipynb, writes out the same pix2pix modules).
# Module names and layer order are the reference's; the fixed sizes (8 levels, 64 filters, 3
# channels) are parameters here (num_downs, ngf, ndf, channels) so that narrow models can be
# compared quickly; with the defaults these build the book's models.
import torch
import torch.nn as nn


def weights_init_normal(m):
    # the CycleGAN notebook's (it also zeroes the convolutions' biases)
    classname = m.__class__.__name__
    if classname.find("Conv") != -1:
        torch.nn.init.normal_(m.weight.data, 0.0, 0.02)
        if hasattr(m, "bias") and m.bias is not None:
            torch.nn.init.constant_(m.bias.data, 0.0)
    elif classname.find("BatchNorm2d") != -1:
        torch.nn.init.normal_(m.weight.data, 1.0, 0.02)
        torch.nn.init.constant_(m.bias.data, 0.0)


def weights_init_normal_pix2pix(m):
    # the pix2pix notebook's (and the reference's pix2pix.py): the convolutions' biases keep PyTorch's default
    classname = m.__class__.__name__
    if classname.find("Conv") != -1:
        torch.nn.init.normal_(m.weight.data, 0.0, 0.02)
    elif classname.find("BatchNorm2d") != -1:
        torch.nn.init.normal_(m.weight.data, 1.0, 0.02)
        torch.nn.init.constant_(m.bias.data, 0.0)


class UNetDown(nn.Module):
    def __init__(self, in_size, out_size, normalize=True, dropout=0.0):
        super().__init__()
        layers = [nn.Conv2d(in_size, out_size, 4, 2, 1, bias=False)]
        if normalize:
            layers.append(nn.InstanceNorm2d(out_size))
        layers.append(nn.LeakyReLU(0.2))
        if dropout:
            layers.append(nn.Dropout(dropout))
        self.model = nn.Sequential(*layers)

    def forward(self, x):
        return self.model(x)


class UNetUp(nn.Module):
    def __init__(self, in_size, out_size, dropout=0.0):
        super().__init__()
        layers = [nn.ConvTranspose2d(in_size, out_size, 4, 2, 1, bias=False), nn.InstanceNorm2d(out_size), nn.ReLU(inplace=True)]
        if dropout:
            layers.append(nn.Dropout(dropout))
        self.model = nn.Sequential(*layers)

    def forward(self, x, skip_input):
        return torch.cat((self.model(x), skip_input), 1)


class GeneratorUNet(nn.Module):
    # num_downs=8, ngf=64: down1 (64, no norm), down2 (128), down3 (256), down4-7 (512, dropout),
    # down8 (512, no norm, dropout); up1 (512), up2-4 (1024 -> 512, dropout), up5 (1024 -> 256),
    # up6 (512 -> 128), up7 (256 -> 64); final
    def __init__(self, in_channels=3, out_channels=3, num_downs=8, ngf=64):
        super().__init__()
        ch = lambda k: min(ngf * 2 ** (k - 1), 8 * ngf)
        self.n = num_downs
        for k in range(1, num_downs + 1):
            setattr(self, 'down%d' % k, UNetDown(in_channels if k == 1 else ch(k - 1), ch(k), normalize=(k != 1 and k != num_downs), dropout=0.5 if k >= 4 else 0.0))
        for i in range(1, num_downs):
            skip = num_downs - i
            setattr(self, 'up%d' % i, UNetUp(ch(num_downs) if i == 1 else 2 * ch(skip + 1), ch(skip), dropout=0.5 if skip >= 4 else 0.0))
        self.final = nn.Sequential(nn.Upsample(scale_factor=2), nn.ZeroPad2d((1, 0, 1, 0)), nn.Conv2d(2 * ngf, out_channels, 4, padding=1), nn.Tanh())

    def forward(self, x):
        d = []
        for k in range(1, self.n + 1):
            x = getattr(self, 'down%d' % k)(x)
            d.append(x)
        for i in range(1, self.n):
            x = getattr(self, 'up%d' % i)(x, d[self.n - 1 - i])
        return self.final(x)


def patch_blocks(in_filters, out_filters, normalize=True):
    layers = [nn.Conv2d(in_filters, out_filters, 4, stride=2, padding=1)]
    if normalize:
        layers.append(nn.InstanceNorm2d(out_filters))
    layers.append(nn.LeakyReLU(0.2, inplace=True))
    return layers


class Pix2PixDiscriminator(nn.Module):
    def __init__(self, in_channels=3, ndf=64):
        super().__init__()
        self.model = nn.Sequential(*patch_blocks(in_channels * 2, ndf, False), *patch_blocks(ndf, ndf * 2), *patch_blocks(ndf * 2, ndf * 4),
                                   *patch_blocks(ndf * 4, ndf * 8), nn.ZeroPad2d((1, 0, 1, 0)), nn.Conv2d(ndf * 8, 1, 4, padding=1, bias=False))

    def forward(self, img_A, img_B):
        return self.model(torch.cat((img_A, img_B), 1))


class ResidualBlock(nn.Module):
    def __init__(self, in_features):
        super().__init__()
        self.block = nn.Sequential(nn.ReflectionPad2d(1), nn.Conv2d(in_features, in_features, 3), nn.InstanceNorm2d(in_features), nn.ReLU(inplace=True),
                                   nn.ReflectionPad2d(1), nn.Conv2d(in_features, in_features, 3), nn.InstanceNorm2d(in_features))

    def forward(self, x):
        return x + self.block(x)


class GeneratorResNet(nn.Module):
    def __init__(self, num_residual_blocks=9, channels=3, ngf=64):
        super().__init__()
        f = ngf
        # the notebook's first padding is a literal 3, its last one ReflectionPad2d(channels)
        model = [nn.ReflectionPad2d(3), nn.Conv2d(channels, f, 7), nn.InstanceNorm2d(f), nn.ReLU(inplace=True)]
        for _ in range(2):
            model += [nn.Conv2d(f, 2 * f, 3, stride=2, padding=1), nn.InstanceNorm2d(2 * f), nn.ReLU(inplace=True)]
            f *= 2
        model += [ResidualBlock(f) for _ in range(num_residual_blocks)]
        for _ in range(2):
            model += [nn.Upsample(scale_factor=2), nn.Conv2d(f, f // 2, 3, stride=1, padding=1), nn.InstanceNorm2d(f // 2), nn.ReLU(inplace=True)]
            f //= 2
        # as the notebook writes it: the 7x7 kernel's half width only when channels = 3 (tensorgrad pads by 3
        # for any channels, so the comparisons build these with 3 channels)
        model += [nn.ReflectionPad2d(channels), nn.Conv2d(f, channels, 7), nn.Tanh()]
        self.model = nn.Sequential(*model)
        self.apply(weights_init_normal)

    def forward(self, x):
        return self.model(x)


class CycleDiscriminator(nn.Module):
    def __init__(self, channels=3, ndf=64):
        super().__init__()
        self.model = nn.Sequential(*patch_blocks(channels, ndf, False), *patch_blocks(ndf, ndf * 2), *patch_blocks(ndf * 2, ndf * 4),
                                   *patch_blocks(ndf * 4, ndf * 8), nn.ZeroPad2d((1, 0, 1, 0)), nn.Conv2d(ndf * 8, 1, 4, padding=1))
        self.apply(weights_init_normal)

    def forward(self, img):
        return self.model(img)
