#!/usr/bin/python3
"""PyTorch reference measurements for gpt-from-scratch's JMH benchmarks.

Runs with Debian's PyTorch 1.13 (``/usr/bin/python3``). Every measurement prints one JSON line on
stdout, e.g. ``{"bench": "gpt-step", "config": "cpu", "threads": 1, "ms_median": 41.2, ...}``.

    /usr/bin/python3 benchmarks/pytorch/reference.py --threads 1 gpt-step --config cpu
    /usr/bin/python3 benchmarks/pytorch/reference.py --threads 1 attention --shape 12x4x64x32
    /usr/bin/python3 benchmarks/pytorch/reference.py --threads 2 gpt-train --data /work/shared/data/tinyshakespeare.txt
    /usr/bin/python3 benchmarks/pytorch/reference.py gpt-checkpoint runs/gpt/ckpt.safetensors

The GPT is a compact copy of nanoGPT's ``model.py`` (pre-LN, fused c_attn, exact-erf GELU, tied head,
bias flag, N(0, 0.02) init with scaled c_proj). PyTorch 1.13 has no ``F.scaled_dot_product_attention``,
so attention takes nanoGPT's fallback: a manual masked softmax.
"""
import argparse
import json
import math
import statistics
import struct
import time

import numpy as np

import torch
import torch.nn as nn
from torch.nn import functional as F


# ---------------------------------------------------------------------------------------------------
# nanoGPT's model, compact
# ---------------------------------------------------------------------------------------------------

class LayerNorm(nn.Module):
    """LayerNorm with an optional bias (PyTorch 1.13's nn.LayerNorm cannot drop only the bias)."""

    def __init__(self, ndim, bias):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(ndim))
        self.bias = nn.Parameter(torch.zeros(ndim)) if bias else None

    def forward(self, x):
        return F.layer_norm(x, self.weight.shape, self.weight, self.bias, 1e-5)


class CausalSelfAttention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.c_attn = nn.Linear(c.n_embd, 3 * c.n_embd, bias=c.bias)
        self.c_proj = nn.Linear(c.n_embd, c.n_embd, bias=c.bias)
        self.attn_dropout = nn.Dropout(c.dropout)
        self.resid_dropout = nn.Dropout(c.dropout)
        self.n_head = c.n_head
        self.n_embd = c.n_embd
        self.register_buffer("bias", torch.tril(torch.ones(c.block_size, c.block_size))
                             .view(1, 1, c.block_size, c.block_size))

    def forward(self, x):
        b, t, ch = x.size()
        q, k, v = self.c_attn(x).split(self.n_embd, dim=2)
        k = k.view(b, t, self.n_head, ch // self.n_head).transpose(1, 2)
        q = q.view(b, t, self.n_head, ch // self.n_head).transpose(1, 2)
        v = v.view(b, t, self.n_head, ch // self.n_head).transpose(1, 2)
        y = composed_attention(q, k, v, self.bias[:, :, :t, :t], self.attn_dropout)
        y = y.transpose(1, 2).contiguous().view(b, t, ch)
        return self.resid_dropout(self.c_proj(y))


def composed_attention(q, k, v, mask, dropout=None):
    """nanoGPT's manual attention: scores, causal mask, softmax, weighted sum of values."""
    att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(k.size(-1)))
    att = att.masked_fill(mask == 0, float("-inf"))
    att = F.softmax(att, dim=-1)
    if dropout is not None:
        att = dropout(att)
    return att @ v


class MLP(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.c_fc = nn.Linear(c.n_embd, 4 * c.n_embd, bias=c.bias)
        self.gelu = nn.GELU(approximate=c.gelu)
        self.c_proj = nn.Linear(4 * c.n_embd, c.n_embd, bias=c.bias)
        self.dropout = nn.Dropout(c.dropout)

    def forward(self, x):
        return self.dropout(self.c_proj(self.gelu(self.c_fc(x))))


class Block(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.ln_1 = LayerNorm(c.n_embd, c.bias)
        self.attn = CausalSelfAttention(c)
        self.ln_2 = LayerNorm(c.n_embd, c.bias)
        self.mlp = MLP(c)

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        return x + self.mlp(self.ln_2(x))


class GPTConfig:
    def __init__(self, block_size, vocab_size, n_layer, n_head, n_embd, dropout, bias,
                 gelu="none", tied=True, nanogpt_init=True):
        self.block_size, self.vocab_size = block_size, vocab_size
        self.n_layer, self.n_head, self.n_embd = n_layer, n_head, n_embd
        self.dropout, self.bias = dropout, bias
        # makemore.py's Transformer: gelu="tanh" (NewGELU), its own lm_head, PyTorch's default init
        self.gelu, self.tied, self.nanogpt_init = gelu, tied, nanogpt_init


CONFIGS = {
    # nanoGPT README's CPU recipe and config/train_shakespeare_char.py (dropout 0 for timing); batch size last
    "cpu": (GPTConfig(64, 65, 4, 4, 128, 0.0, False), 12),
    "gpu": (GPTConfig(256, 65, 6, 6, 384, 0.0, False), 64),
}


class GPT(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.config = c
        self.transformer = nn.ModuleDict(dict(
            wte=nn.Embedding(c.vocab_size, c.n_embd),
            wpe=nn.Embedding(c.block_size, c.n_embd),
            drop=nn.Dropout(c.dropout),
            h=nn.ModuleList([Block(c) for _ in range(c.n_layer)]),
            ln_f=LayerNorm(c.n_embd, c.bias),
        ))
        self.lm_head = nn.Linear(c.n_embd, c.vocab_size, bias=False)
        if not c.nanogpt_init:
            return
        self.transformer.wte.weight = self.lm_head.weight  # weight tying
        self.apply(self._init_weights)
        for name, p in self.named_parameters():
            if name.endswith("c_proj.weight"):
                torch.nn.init.normal_(p, mean=0.0, std=0.02 / math.sqrt(2 * c.n_layer))

    @staticmethod
    def _init_weights(module):
        if isinstance(module, nn.Linear):
            torch.nn.init.normal_(module.weight, mean=0.0, std=0.02)
            if module.bias is not None:
                torch.nn.init.zeros_(module.bias)
        elif isinstance(module, nn.Embedding):
            torch.nn.init.normal_(module.weight, mean=0.0, std=0.02)

    def num_params(self, non_embedding=True):
        n = sum(p.numel() for p in self.parameters())
        return n - self.transformer.wpe.weight.numel() if non_embedding else n

    def forward(self, idx, targets=None):
        t = idx.size(1)
        pos = torch.arange(0, t, dtype=torch.long)
        x = self.transformer.drop(self.transformer.wte(idx) + self.transformer.wpe(pos))
        for block in self.transformer.h:
            x = block(x)
        x = self.transformer.ln_f(x)
        if targets is not None:
            logits = self.lm_head(x)
            return logits, F.cross_entropy(logits.view(-1, logits.size(-1)), targets.view(-1), ignore_index=-1)
        return self.lm_head(x[:, [-1], :]), None  # inference: only the last position

    def configure_optimizers(self, weight_decay, learning_rate, betas):
        params = [p for p in self.parameters() if p.requires_grad]
        groups = [{"params": [p for p in params if p.dim() >= 2], "weight_decay": weight_decay},
                  {"params": [p for p in params if p.dim() < 2], "weight_decay": 0.0}]
        return torch.optim.AdamW(groups, lr=learning_rate, betas=betas, foreach=False)

    @torch.no_grad()
    def generate(self, idx, max_new_tokens, temperature=1.0, top_k=None):
        for _ in range(max_new_tokens):
            idx_cond = idx if idx.size(1) <= self.config.block_size else idx[:, -self.config.block_size:]
            logits, _ = self(idx_cond)
            logits = logits[:, -1, :] / temperature
            if top_k is not None:
                v, _ = torch.topk(logits, min(top_k, logits.size(-1)))
                logits[logits < v[:, [-1]]] = -float("Inf")
            probs = F.softmax(logits, dim=-1)
            idx = torch.cat((idx, torch.multinomial(probs, num_samples=1)), dim=1)
        return idx


def train_step(model, optimizer, x, y, grad_clip=1.0):
    """nanoGPT train.py's inner step with gradient_accumulation_steps = 1."""
    _, loss = model(x, y)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), grad_clip)
    optimizer.step()
    optimizer.zero_grad(set_to_none=True)
    return loss


# ---------------------------------------------------------------------------------------------------
# makemore MLP (part 2) and WaveNet (part 5), as in the lectures
# ---------------------------------------------------------------------------------------------------

class MakemoreMlp:
    """C[27,10], W1[30,200], b1, W2[200,27], b2; tanh hidden layer; plain SGD."""

    def __init__(self, g):
        self.C = torch.randn((27, 10), generator=g)
        self.W1 = torch.randn((30, 200), generator=g)
        self.b1 = torch.randn(200, generator=g)
        self.W2 = torch.randn((200, 27), generator=g)
        self.b2 = torch.randn(27, generator=g)
        self.parameters = [self.C, self.W1, self.b1, self.W2, self.b2]
        for p in self.parameters:
            p.requires_grad = True
        self.block_size = 3

    def loss(self, x, y):
        emb = self.C[x]
        h = torch.tanh(emb.view(-1, 30) @ self.W1 + self.b1)
        return F.cross_entropy(h @ self.W2 + self.b2, y)


class Linear:
    def __init__(self, fan_in, fan_out, g, bias=True):
        self.weight = torch.randn((fan_in, fan_out), generator=g) / fan_in ** 0.5
        self.bias = torch.zeros(fan_out) if bias else None

    def __call__(self, x):
        out = x @ self.weight
        return out + self.bias if self.bias is not None else out

    def parameters(self):
        return [self.weight] + ([] if self.bias is None else [self.bias])


class BatchNorm1d:
    """The lecture's BatchNorm1d: statistics over every axis but the last, unbiased variance."""

    def __init__(self, dim, eps=1e-5, momentum=0.1):
        self.eps, self.momentum, self.training = eps, momentum, True
        self.gamma, self.beta = torch.ones(dim), torch.zeros(dim)
        self.running_mean, self.running_var = torch.zeros(dim), torch.ones(dim)

    def __call__(self, x):
        if self.training:
            dims = 0 if x.ndim == 2 else (0, 1)
            mean, var = x.mean(dims, keepdim=True), x.var(dims, keepdim=True)
        else:
            mean, var = self.running_mean, self.running_var
        out = self.gamma * (x - mean) / torch.sqrt(var + self.eps) + self.beta
        if self.training:
            with torch.no_grad():
                self.running_mean = (1 - self.momentum) * self.running_mean + self.momentum * mean
                self.running_var = (1 - self.momentum) * self.running_var + self.momentum * var
        return out

    def parameters(self):
        return [self.gamma, self.beta]


class Tanh:
    def __call__(self, x):
        return torch.tanh(x)

    def parameters(self):
        return []


class Embedding:
    def __init__(self, n, dim, g):
        self.weight = torch.randn((n, dim), generator=g)

    def __call__(self, ix):
        return self.weight[ix]

    def parameters(self):
        return [self.weight]


class FlattenConsecutive:
    def __init__(self, n):
        self.n = n

    def __call__(self, x):
        b, t, c = x.shape
        x = x.view(b, t // self.n, c * self.n)
        return x.squeeze(1) if x.shape[1] == 1 else x

    def parameters(self):
        return []


class MakemoreWaveNet:
    """Embedding(27, 24), 3 × [FlattenConsecutive(2), Linear no bias, BatchNorm1d(128), Tanh], Linear(128, 27)."""

    def __init__(self, g, n_embd=24, n_hidden=128, vocab=27):
        self.layers = [Embedding(vocab, n_embd, g),
                       FlattenConsecutive(2), Linear(n_embd * 2, n_hidden, g, bias=False), BatchNorm1d(n_hidden), Tanh(),
                       FlattenConsecutive(2), Linear(n_hidden * 2, n_hidden, g, bias=False), BatchNorm1d(n_hidden), Tanh(),
                       FlattenConsecutive(2), Linear(n_hidden * 2, n_hidden, g, bias=False), BatchNorm1d(n_hidden), Tanh(),
                       Linear(n_hidden, vocab, g)]
        with torch.no_grad():
            self.layers[-1].weight *= 0.1
        self.parameters = [p for layer in self.layers for p in layer.parameters()]
        for p in self.parameters:
            p.requires_grad = True
        self.block_size = 8

    def loss(self, x, y):
        for layer in self.layers:
            x = layer(x)
        return F.cross_entropy(x, y)


def sgd_step(model, x, y, lr=0.1):
    loss = model.loss(x, y)
    for p in model.parameters:
        p.grad = None
    loss.backward()
    for p in model.parameters:
        p.data += -lr * p.grad
    return loss


# ---------------------------------------------------------------------------------------------------
# Measurements
# ---------------------------------------------------------------------------------------------------

def timed(fn, warmup, iters):
    """Milliseconds per call of fn, one sample per call, after warm-up calls."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(iters):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1e3)
    return samples


def emit(bench, args, samples, **extra):
    record = {"bench": bench, "threads": args.threads, "torch": torch.__version__,
              "ms_median": round(statistics.median(samples), 4), "ms_min": round(min(samples), 4),
              "ms_max": round(max(samples), 4), "n": len(samples)}
    record.update(extra)
    print(json.dumps(record), flush=True)


def gpt_step(args):
    config, batch = CONFIGS[args.config]
    torch.manual_seed(1337)
    model = GPT(config)
    optimizer = model.configure_optimizers(0.1, 1e-3, (0.9, 0.99))
    x = torch.randint(config.vocab_size, (batch, config.block_size))
    y = torch.randint(config.vocab_size, (batch, config.block_size))
    warmup, iters = (args.warmup, args.iters) if args.config == "cpu" else (args.warmup_big, args.iters_big)
    samples = timed(lambda: train_step(model, optimizer, x, y), warmup, iters)
    n = model.num_params()
    L, H, Q, T = config.n_layer, config.n_head, config.n_embd // config.n_head, config.block_size
    flops_per_iter = (6 * n + 12 * L * H * Q * T) * T * batch
    emit("gpt-step", args, samples, config=args.config, params_no_wpe=n, batch=batch,
         gflop_per_iter=round(flops_per_iter / 1e9, 4),
         gflops=round(flops_per_iter / statistics.median(samples) / 1e6, 2))


def gpt_init(args):
    """nanoGPT's initial weights for torch.manual_seed(seed) in a small config, and the first batch's window
    starts after them: the expected values of the models module's GptPytorchDrawsTest."""
    torch.manual_seed(args.seed)
    model = GPT(GPTConfig(8, 65, 2, 2, 16, 0.0, args.bias))
    for name, p in model.state_dict().items():
        if name.endswith(".attn.bias"):
            continue
        flat = p.flatten()
        print(json.dumps({"param": name, "first": [float(v) for v in flat[:3]], "last": float(flat[-1]),
                          "sum": float(flat.double().sum())}))
    print(json.dumps({"randint(1000 - 8, (4,))": torch.randint(1000 - 8, (4,)).tolist()}))


def gpt_train(args):
    config, batch = CONFIGS["cpu"]
    max_iters, warmup_iters, lr_decay_iters, lr, min_lr = 2000, 100, 2000, 1e-3, 1e-4
    eval_interval, eval_iters = 250, 20
    with open(args.data, encoding="utf-8") as f:
        text = f.read()
    chars = sorted(set(text))
    stoi = {ch: i for i, ch in enumerate(chars)}
    data = torch.tensor([stoi[c] for c in text], dtype=torch.long)
    n = int(0.9 * len(data))
    splits = {"train": data[:n], "val": data[n:]}
    torch.manual_seed(args.seed)
    config.vocab_size = len(chars)
    model = GPT(config)
    optimizer = model.configure_optimizers(0.1, lr, (0.9, 0.99))

    def get_batch(split):
        d = splits[split]
        ix = torch.randint(len(d) - config.block_size, (batch,))
        return (torch.stack([d[i:i + config.block_size] for i in ix]),
                torch.stack([d[i + 1:i + 1 + config.block_size] for i in ix]))

    @torch.no_grad()
    def estimate_loss():
        model.eval()
        out = {}
        for split in ("train", "val"):
            out[split] = torch.stack([model(*get_batch(split))[1] for _ in range(eval_iters)]).mean().item()
        model.train()
        return out

    def get_lr(it):
        if it < warmup_iters:
            return lr * (it + 1) / (warmup_iters + 1)
        if it > lr_decay_iters:
            return min_lr
        ratio = (it - warmup_iters) / (lr_decay_iters - warmup_iters)
        return min_lr + 0.5 * (1.0 + math.cos(math.pi * ratio)) * (lr - min_lr)

    t0 = time.perf_counter()
    losses = {}
    # nanoGPT's train.py draws from one generator in this order: the first batch before the loop, then at
    # each step the evaluation's batches (when due) and the next batch, which it fetches right after the
    # forward pass (with dropout 0 nothing else draws, so fetching it after the whole step is the same).
    x, y = get_batch("train")
    for it in range(max_iters + 1):
        for group in optimizer.param_groups:
            group["lr"] = get_lr(it)
        if it % eval_interval == 0:
            losses = estimate_loss()
            print(json.dumps({"bench": "gpt-train-eval", "iter": it, "train": round(losses["train"], 4),
                              "val": round(losses["val"], 4), "elapsed_s": round(time.perf_counter() - t0, 1)}),
                  flush=True)
        if it == max_iters:
            break
        train_step(model, optimizer, x, y)
        x, y = get_batch("train")
    wall = time.perf_counter() - t0
    print(json.dumps({"bench": "gpt-train", "threads": args.threads, "torch": torch.__version__, "iters": max_iters,
                      "seed": args.seed, "wall_s": round(wall, 1), "final_train_loss": round(losses["train"], 4),
                      "final_val_loss": round(losses["val"], 4),
                      "full_val_loss": round(full_split_loss(model, splits["val"], config.block_size), 4)}),
          flush=True)


@torch.no_grad()
def full_split_loss(model, data, block_size, rows=64):
    """Mean next-token loss over every position of consecutive non-overlapping windows of a split."""
    model.eval()
    windows = (len(data) - 1) // block_size
    x = data[:windows * block_size].view(windows, block_size)
    y = data[1:windows * block_size + 1].view(windows, block_size)
    total = 0.0
    for i in range(0, windows, rows):
        logits, _ = model(x[i:i + rows], y[i:i + rows])
        total += F.cross_entropy(logits.view(-1, logits.size(-1)), y[i:i + rows].reshape(-1), reduction="sum").item()
    return total / (windows * block_size)


def read_safetensors(path):
    """The tensors of a safetensors file by name, and its metadata."""
    with open(path, "rb") as f:
        raw = f.read()
    n = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8:8 + n])
    meta = header.pop("__metadata__", {})
    tensors = {}
    for name, h in header.items():
        begin, end = h["data_offsets"]
        dtype = np.float32 if h["dtype"] == "F32" else np.int64
        tensors[name] = torch.from_numpy(np.frombuffer(raw[8 + n + begin:8 + n + end], dtype=dtype)
                                         .reshape(h["shape"]).copy())
    return tensors, meta


def gpt_checkpoint(args):
    """A checkpoint of `gptfs gpt` in nanoGPT's model, by name: its whole-val-split loss, to set beside ours."""
    tensors, meta = read_safetensors(args.checkpoint)
    config = GPTConfig(int(meta["block_size"]), int(meta["vocab_size"]), int(meta["n_layer"]), int(meta["n_head"]),
                       int(meta["n_embd"]), 0.0, meta["bias"] == "true")
    model = GPT(config)
    state = {k: v for k, v in tensors.items() if not k.startswith("optimizer.")}
    state["lm_head.weight"] = state["transformer.wte.weight"]  # tied, as nanoGPT's state dict holds it twice
    result = model.load_state_dict(state, strict=False)
    # Strict but for nanoGPT's causal-mask buffers, which are not weights.
    assert not result.unexpected_keys and all(k.endswith("attn.bias") for k in result.missing_keys), result
    with open(args.data, encoding="utf-8") as f:
        text = f.read()
    stoi = {ch: i for i, ch in enumerate(meta["tokenizer"])}
    data = torch.tensor([stoi[c] for c in text], dtype=torch.long)
    val = data[int(0.9 * len(data)):]
    print(json.dumps({"bench": "gpt-checkpoint", "checkpoint": args.checkpoint, "step": meta.get("step"),
                      "full_val_loss": round(full_split_loss(model, val, config.block_size), 6)}), flush=True)


def makemore_transformer(args):
    """makemore.py's default run on names: its split (seed 3407), whole-word rows, AdamW 5e-4, wd 0.01."""
    with open(args.data, encoding="utf-8") as f:
        words = [w.strip() for w in f.read().splitlines() if w.strip()]
    chars = sorted(set("".join(words)))
    stoi = {ch: i + 1 for i, ch in enumerate(chars)}
    t = max(len(w) for w in words) + 1
    torch.manual_seed(args.seed)
    test_size = min(1000, int(len(words) * 0.1))
    rp = torch.randperm(len(words)).tolist()

    def rows(ws):
        x = torch.zeros(len(ws), t, dtype=torch.long)
        y = torch.full((len(ws), t), -1, dtype=torch.long)
        for r, w in enumerate(ws):
            ix = torch.tensor([stoi[c] for c in w], dtype=torch.long)
            x[r, 1:1 + len(ix)] = ix
            y[r, :len(ix)] = ix
            y[r, len(ix)] = 0
        return x, y

    xtr, ytr = rows([words[i] for i in rp[:-test_size]])
    xte, yte = rows([words[i] for i in rp[-test_size:]])
    model = GPT(GPTConfig(t, len(chars) + 1, 4, 4, 64, 0.0, True, gelu="tanh", tied=False, nanogpt_init=False))
    opt = torch.optim.AdamW(model.parameters(), lr=5e-4, weight_decay=0.01, betas=(0.9, 0.99), eps=1e-8)

    @torch.no_grad()
    def loss_over(x, y):
        model.eval()
        logits, _ = model(x, y)
        out = F.cross_entropy(logits.view(-1, logits.size(-1)), y.view(-1), ignore_index=-1).item()
        model.train()
        return out

    t0 = time.perf_counter()
    for step in range(1, args.steps + 1):
        ix = torch.randint(len(xtr), (32,))
        _, loss = model(xtr[ix], ytr[ix])
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        if step % args.eval_interval == 0 or step == args.steps:
            print(json.dumps({"bench": "makemore-transformer-eval", "step": step, "test": round(loss_over(xte, yte), 4),
                              "elapsed_s": round(time.perf_counter() - t0, 1)}), flush=True)
    print(json.dumps({"bench": "makemore-transformer", "threads": args.threads, "steps": args.steps, "seed": args.seed,
                      "train": round(loss_over(xtr, ytr), 4), "test": round(loss_over(xte, yte), 4),
                      "wall_s": round(time.perf_counter() - t0, 1)}), flush=True)


def makemore_step(args, name):
    g = torch.Generator().manual_seed(2147483647)
    model = MakemoreMlp(g) if name == "mlp-step" else MakemoreWaveNet(g)
    x = torch.randint(27, (32, model.block_size), generator=g)
    y = torch.randint(27, (32,), generator=g)
    samples = timed(lambda: sgd_step(model, x, y), args.warmup * 20, args.iters * 20)
    emit(name, args, samples, steps_per_s=round(1e3 / statistics.median(samples), 1), batch=32)


def attention(args):
    b, h, t, hs = (int(s) for s in args.shape.split("x"))
    torch.manual_seed(1337)
    q, k, v = (torch.randn(b, h, t, hs, requires_grad=True) for _ in range(3))
    dy = torch.randn(b, h, t, hs)
    mask = torch.tril(torch.ones(t, t)).view(1, 1, t, t)

    def forward():
        with torch.no_grad():
            return composed_attention(q, k, v, mask)

    def forward_backward():
        y = composed_attention(q, k, v, mask)
        y.backward(dy)
        for p in (q, k, v):
            p.grad = None

    # The GPU-config shape takes about a second per step on one core: fewer steps there.
    warmup, iters = (args.warmup * 2, args.iters * 2) if t <= 64 else (max(args.warmup // 4, 1), max(args.iters // 4, 3))
    for mode, fn in (("forward", forward), ("forwardBackward", forward_backward)):
        emit("attention", args, timed(fn, warmup, iters), shape=args.shape, mode=mode, impl="composed",
             note="PyTorch 1.13 has no scaled_dot_product_attention: the composed path is its fastest on CPU")


def sample(args):
    config, _ = CONFIGS["cpu"]
    torch.manual_seed(1337)
    model = GPT(config).eval()
    prompt = torch.zeros((1, 1), dtype=torch.long)
    model.generate(prompt, 50)  # warm-up
    samples = timed(lambda: model.generate(prompt, args.tokens), 1, args.repeats)
    emit("sample", args, samples, tokens=args.tokens, cache=False,
         tokens_per_s=round(args.tokens * 1e3 / statistics.median(samples), 1))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--threads", type=int, default=1, help="torch.set_num_threads (default 1)")
    p.add_argument("--warmup", type=int, default=10, help="warm-up steps (default 10)")
    p.add_argument("--iters", type=int, default=20, help="timed steps (default 20)")
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("gpt-step", help="one nanoGPT training step (forward, backward, clip, AdamW)")
    s.add_argument("--config", choices=sorted(CONFIGS), default="cpu")
    s.add_argument("--warmup-big", type=int, default=2, help="warm-up steps for --config gpu (default 2)")
    s.add_argument("--iters-big", type=int, default=5, help="timed steps for --config gpu (default 5)")
    s = sub.add_parser("gpt-init", help="nanoGPT's initial weights for a seed in a 2-layer, 16-wide model")
    s.add_argument("--seed", type=int, default=1337)
    s.add_argument("--bias", action="store_true", help="biases in Linear and LayerNorm")
    s = sub.add_parser("gpt-train", help="nanoGPT's README CPU recipe on tiny shakespeare, 2000 iterations")
    s.add_argument("--data", default="/work/shared/data/tinyshakespeare.txt")
    s.add_argument("--seed", type=int, default=1337, help="torch.manual_seed (default 1337, nanoGPT's)")
    s = sub.add_parser("gpt-checkpoint", help="a gptfs gpt checkpoint loaded by name: its whole-val-split loss")
    s.add_argument("checkpoint", help="ckpt.safetensors written by bin/gptfs gpt")
    s.add_argument("--data", default="/work/shared/data/tinyshakespeare.txt")
    s = sub.add_parser("makemore-transformer", help="makemore.py's default Transformer on names, its split and optimizer")
    s.add_argument("--data", default="/work/shared/data/names.txt")
    s.add_argument("--seed", type=int, default=3407, help="torch.manual_seed (default 3407, makemore.py's)")
    s.add_argument("--steps", type=int, default=30000)
    s.add_argument("--eval-interval", type=int, default=1000)
    sub.add_parser("mlp-step", help="makemore MLP SGD step, batch 32 (20x the step counts)")
    sub.add_parser("wavenet-step", help="makemore WaveNet SGD step, batch 32 (20x the step counts)")
    s = sub.add_parser("attention", help="composed causal attention, forward and forward+backward")
    s.add_argument("--shape", default="12x4x64x32", help="BxHxTxhs")
    s = sub.add_parser("sample", help="nanoGPT generate() without a KV cache, CPU-recipe model")
    s.add_argument("--tokens", type=int, default=500)
    s.add_argument("--repeats", type=int, default=5)
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    {"gpt-step": gpt_step, "gpt-init": gpt_init, "gpt-train": gpt_train, "gpt-checkpoint": gpt_checkpoint, "mlp-step": lambda a: makemore_step(a, "mlp-step"),
     "wavenet-step": lambda a: makemore_step(a, "wavenet-step"), "attention": attention,
     "sample": sample, "makemore-transformer": makemore_transformer}[args.cmd](args)


if __name__ == "__main__":
    main()
