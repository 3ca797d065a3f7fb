#!/usr/bin/python3
# bench-pytorch.py
#
# The same iteration as _build/tools/impasto-bench, done by PyTorch on the CPU, for a
# side-by-side comparison of speed and memory: a VGG19 with the real channel widths up to conv5_2
# (3 -> 64,64 | pool | 128,128 | pool | 256 x 4 | pool | 512 x 4 | pool | 512,512; 3x3 convs with
# padding 1, bias and ReLU, 2x2 max pooling with stride 2), He-initialised random weights built
# by hand as nn.Conv2d layers (nothing is downloaded; torchvision's weights are not needed), the
# engine's default loss (content at conv4_2 and conv5_2 with weight 0.5 each, style at conv1_1 ..
# conv5_1 with weight 0.2 each, alpha 1, beta 500) against targets computed once from random
# content and style images, and per iteration one forward, one backward to the pixels and a
# hand-written TensorFlow-1-style Adam step (lr 1.0) under torch.no_grad. With --regions N the style
# loss is that of painted regions, as impasto-bench --regions N: N bands of columns and the default
# region, each style layer's Gram matrix taken of the features times each region's guide.
#
# For each size, in its own child process so that the peak RSS is that size's own, it prints the
# median seconds per iteration over the measured iterations after the warm-up, the useful conv
# rate (the direct-convolution FLOPs of forward + backward-to-input through conv5_2,
# 2 * 2 * sum(9 * Cin * Cout * H * W), divided by that time), the time from the start of the size
# to the first loss value (building the targets + the first forward), and the peak RSS.
#
# Run it with Debian's PyTorch (python3-torch), not with whatever python3 comes first on PATH:
#
#   /usr/bin/python3 tools/bench-pytorch.py [--threads N] [--iterations N] [--warmup N] [WxH ...]
#
# (defaults: 2 threads, 5 iterations after 2 warm-up ones, sizes 450x300 512x512 1024x768). glibc
# malloc's defaults make PyTorch give its big buffers back to the kernel and page-fault them in
# again every iteration; to see PyTorch without that, run it with e.g.
#
#   MALLOC_MMAP_THRESHOLD_=17179869184 MALLOC_TRIM_THRESHOLD_=17179869184 \
#   MALLOC_TOP_PAD_=1073741824 /usr/bin/python3 tools/bench-pytorch.py
#
# A comparison tool, not a test: nothing here asserts a speed, and the build does not run it.
#
# Copyright 2026 The Impasto authors
# SPDX-License-Identifier: GPL-3.0-or-later

import argparse
import os
import resource
import subprocess
import sys
import time

import torch
import torch.nn as nn

# Conv widths through conv5_2 (the deepest layer the default loss uses); "M" is a 2x2 max pool.
LAYERS = [64, 64, "M", 128, 128, "M", 256, 256, 256, 256, "M", 512, 512, 512, 512, "M", 512, 512]
NAMES = ["conv1_1", "conv1_2", "conv2_1", "conv2_2", "conv3_1", "conv3_2", "conv3_3", "conv3_4",
         "conv4_1", "conv4_2", "conv4_3", "conv4_4", "conv5_1", "conv5_2"]
CONTENT = {"conv4_2": 0.5, "conv5_2": 0.5}
STYLE = {"conv1_1": 0.2, "conv2_1": 0.2, "conv3_1": 0.2, "conv4_1": 0.2, "conv5_1": 0.2}
ALPHA, BETA = 1.0, 500.0
LEARNING_RATE, BETA1, BETA2, EPSILON = 1.0, 0.9, 0.999, 1e-8
MEAN = (123.68, 116.779, 103.939)  # VGG's mean pixel, subtracted as the engine does
MALLOC_VARS = ("MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "MALLOC_TOP_PAD_",
               "MALLOC_ARENA_MAX", "MALLOC_MMAP_MAX_")


class VGG19Features(nn.Module):
    """VGG19's feature layers up to conv5_2 (ReLU outputs), with random He weights."""

    def __init__(self):
        super().__init__()
        self.steps = []  # ("conv", name, module) or ("pool",)
        convs = []
        cin = 3
        k = 0
        for spec in LAYERS:
            if spec == "M":
                self.steps.append(("pool",))
                continue
            conv = nn.Conv2d(cin, spec, kernel_size=3, stride=1, padding=1, bias=True)
            with torch.no_grad():
                conv.weight.normal_(0.0, (2.0 / (9.0 * cin)) ** 0.5)
                conv.bias.zero_()
            conv.weight.requires_grad_(False)
            conv.bias.requires_grad_(False)
            convs.append(conv)
            self.steps.append(("conv", NAMES[k], conv))
            cin = spec
            k += 1
        self.convs = nn.ModuleList(convs)

    def forward(self, x, wanted):
        out = {}
        for step in self.steps:
            if step[0] == "pool":
                x = torch.max_pool2d(x, kernel_size=2, stride=2)
            else:
                x = torch.relu(step[2](x))
                if step[1] in wanted:
                    out[step[1]] = x
        return out


def conv_flops(width, height):
    """Forward + backward-to-input FLOPs of the direct 3x3 convs through conv5_2."""
    total = 0
    cin, h, w = 3, height, width
    for spec in LAYERS:
        if spec == "M":
            h, w = h // 2, w // 2
            continue
        total += 2 * 9 * cin * spec * h * w
        cin = spec
    return 2 * total


def gram(f):
    n = f.shape[1]
    f = f.reshape(n, -1)
    return f @ f.t()


def region_guides(n, width, height, feats):
    """Guides of @n bands of columns covering two thirds of the picture and of the default region
    (the last third), per style layer: each band's mask resized to the layer (nearest), normalised
    to unit RMS. The same work per iteration as the engine's guided Gram matrices (its guides are
    computed once, before the run, as these are)."""
    masks = []
    for r in range(n):
        m = torch.zeros(1, 1, height, width)
        m[..., 2 * width * r // (3 * n):2 * width * (r + 1) // (3 * n)] = 1.0
        masks.append(m)
    rest = torch.ones(1, 1, height, width)
    for m in masks:
        rest = torch.minimum(rest, 1.0 - m)
    masks.append(rest)
    guides = {}
    for k in STYLE:
        h, w = feats[k].shape[2], feats[k].shape[3]
        layer = []
        for m in masks:
            t = torch.nn.functional.interpolate(m, size=(h, w), mode="nearest")
            rms = float((t ** 2).mean()) ** 0.5
            if rms > 0:
                layer.append(t / rms)
        guides[k] = layer
    return guides


def bench_size(width, height, threads, warmup, iterations, n_regions=0):
    torch.manual_seed(1)
    net = VGG19Features()
    wanted = set(CONTENT) | set(STYLE)
    mean = torch.tensor(MEAN, dtype=torch.float32).view(1, 3, 1, 1)
    gen = torch.Generator().manual_seed(7)
    content_img = 127.5 + 100.0 * (2 * torch.rand(1, 3, height, width, generator=gen) - 1)
    style_img = 127.5 + 120.0 * (2 * torch.rand(1, 3, height, width, generator=gen) - 1)

    t0 = time.perf_counter()
    with torch.no_grad():
        cf = net(content_img - mean, set(CONTENT))
        content_targets = {k: cf[k].clone() for k in CONTENT}
        del cf
        sf = net(style_img - mean, set(STYLE))
        style_targets = {k: gram(sf[k]) for k in STYLE}
        guides = region_guides(n_regions, width, height, sf) if n_regions > 0 else None
        del sf

    x = content_img.clone().requires_grad_(True)  # the image being optimised (a leaf)
    m = torch.zeros_like(x)
    v = torch.zeros_like(x)

    def loss_of(img):
        feats = net(img - mean, wanted)
        content = 0.0
        for k, wk in CONTENT.items():
            f = feats[k]
            n, mm = f.shape[1], f.shape[2] * f.shape[3]
            content = content + wk * ((f - content_targets[k]) ** 2).sum() / (2.0 * mm * n)
        content = content / len(CONTENT)
        style = 0.0
        for k, wk in STYLE.items():
            f = feats[k]
            n, mm = f.shape[1], f.shape[2] * f.shape[3]
            if guides is None:
                style = style + wk * ((gram(f) - style_targets[k]) ** 2).sum() / (4.0 * mm * mm * n * n)
                continue
            # Each region's Gram matrix of the guided features, shares equal.
            for t in guides[k]:
                style = style + wk / len(guides[k]) * ((gram(f * t) - style_targets[k]) ** 2).sum() \
                    / (4.0 * mm * mm * n * n)
        style = style / len(STYLE)
        return ALPHA * content + BETA * style

    with torch.no_grad():
        first = float(loss_of(x))
    first_loss = time.perf_counter() - t0

    times = []
    for t in range(1, warmup + iterations + 1):
        s = time.perf_counter()
        loss = loss_of(x)
        (g,) = torch.autograd.grad(loss, x)
        with torch.no_grad():
            m.mul_(BETA1).add_(g, alpha=1.0 - BETA1)
            v.mul_(BETA2).addcmul_(g, g, value=1.0 - BETA2)
            lr_t = LEARNING_RATE * (1.0 - BETA2 ** t) ** 0.5 / (1.0 - BETA1 ** t)
            x.addcdiv_(m, v.sqrt().add_(EPSILON), value=-lr_t)
        last = float(loss)
        del loss, g
        if t > warmup:
            times.append(time.perf_counter() - s)
    times.sort()
    median = times[len(times) // 2]
    flops = conv_flops(width, height)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1048576.0  # KiB -> GiB
    print("%4dx%-4d  %d regions  %7.3f s/iter  %6.1f conv GFLOP/s  (%.0f GFLOP/iter)  "
          "first loss %.2f s  peak RSS %.2f GiB  (loss %.4g -> %.4g)"
          % (width, height, n_regions, median, flops / median / 1e9, flops / 1e9, first_loss, peak,
             first, last))
    sys.stdout.flush()


def parse_size(text):
    try:
        w, h = text.lower().split("x")
        return int(w), int(h)
    except ValueError:
        raise argparse.ArgumentTypeError("not WxH: %r" % text)


def main():
    parser = argparse.ArgumentParser(description="PyTorch CPU counterpart of impasto-bench")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--iterations", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--regions", type=int, default=0,
                        help="bands of columns painted as regions (0: none), as impasto-bench")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("sizes", nargs="*", type=parse_size,
                        default=[(450, 300), (512, 512), (1024, 768)])
    args = parser.parse_args()
    args.iterations = max(1, args.iterations)
    args.warmup = max(0, args.warmup)

    if not args.child:
        malloc = " ".join("%s=%s" % (k, os.environ[k]) for k in MALLOC_VARS if k in os.environ)
        print("torch %s (%s), threads %d, mkldnn available %s, OPENBLAS_CORETYPE=%s, "
              "malloc: %s, %d warm-up + %d measured iterations (median)"
              % (torch.__version__, torch.__file__.rsplit("/", 2)[0], args.threads,
                 torch.backends.mkldnn.is_available(), os.environ.get("OPENBLAS_CORETYPE", ""),
                 malloc or "glibc defaults", args.warmup, args.iterations))
        sys.stdout.flush()
        failed = 0
        for w, h in args.sizes:
            # One child per size: peak RSS is a per-process high-water mark.
            cmd = [sys.executable, os.path.abspath(__file__), "--child",
                   "--threads", str(args.threads), "--iterations", str(args.iterations),
                   "--warmup", str(args.warmup), "--regions", str(args.regions),
                   "%dx%d" % (w, h)]
            if subprocess.call(cmd) != 0:
                failed = 1
        return failed

    torch.set_num_threads(args.threads)
    for w, h in args.sizes:
        bench_size(w, h, args.threads, args.warmup, args.iterations, args.regions)
    return 0


if __name__ == "__main__":
    sys.exit(main())
