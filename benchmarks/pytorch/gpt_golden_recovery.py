#!/usr/bin/python3
"""The cross-check of GptGoldenTest's weight recovery, with PyTorch's own model and optimizer.

shared/golden/gpt_tiny.safetensors stores its parameters after its two AdamW steps, not the weights its
logits and gradients came from. This recovers those initial weights the way GptGoldenTest does (the second
step run backwards as a fixed point, then the first step from the file's gradient), but with PyTorch
computing every gradient, and then checks with PyTorch alone that the recovered weights give the file's
logits, loss, gradients, gradient norms and parameters after two steps of torch.optim.AdamW with clipping.

    /usr/bin/python3 benchmarks/pytorch/gpt_golden_recovery.py [--golden ../shared/golden/gpt_tiny.safetensors]
"""
import argparse
import json
import math

import torch

from reference import GPT, GPTConfig, read_safetensors


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--golden", default="../shared/golden/gpt_tiny.safetensors")
    args = ap.parse_args()
    torch.set_num_threads(1)
    file, meta = read_safetensors(args.golden)
    opt = json.loads(meta["adamw"])
    lr, (b1, b2), eps, wd = opt["lr"], opt["betas"], opt["eps"], opt["weight_decay"]
    model = GPT(GPTConfig(int(meta["block_size"]), int(meta["vocab_size"]), int(meta["n_layer"]),
                          int(meta["n_head"]), int(meta["n_embd"]), 0.0, meta["bias"] == "true"))
    names = [n for n, _ in model.named_parameters()]
    idx, targets = file["input.idx"], file["input.targets"]

    def gradients(weights):
        with torch.no_grad():
            for n, p in model.named_parameters():
                p.copy_(weights[n].float())
        model.zero_grad()
        logits, loss = model(idx, targets)
        loss.backward()
        return {n: p.grad.double() for n, p in model.named_parameters()}, logits.detach(), loss.item()

    p2 = {n: file["after_adamw_2_steps." + n].double() for n in names}
    clip1 = min(1.0, 1.0 / (opt["grad_norms_before_clip"][0] + 1e-6))
    decay = {n: 1 - lr * wd if p2[n].dim() >= 2 else 1.0 for n in names}
    m1 = {n: (1 - b1) * file["grad." + n].double() * clip1 for n in names}
    v1 = {n: (1 - b2) * (file["grad." + n].double() * clip1) ** 2 for n in names}
    p1 = dict(p2)
    for _ in range(60):
        g2, _, _ = gradients(p1)
        clip2 = min(1.0, 1.0 / (math.sqrt(sum((g ** 2).sum().item() for g in g2.values())) + 1e-6))
        nxt = {}
        for n in names:
            m = b1 * m1[n] + (1 - b1) * g2[n] * clip2
            v = b2 * v1[n] + (1 - b2) * (g2[n] * clip2) ** 2
            nxt[n] = (p2[n] + lr / (1 - b1 ** 2) * m / (v.sqrt() / math.sqrt(1 - b2 ** 2) + eps)) / decay[n]
        moved = max((nxt[n] - p1[n]).abs().max().item() for n in names)
        p1 = nxt
    p0 = {n: (p1[n] + lr / (1 - b1) * m1[n] / (v1[n].sqrt() / math.sqrt(1 - b2) + eps)) / decay[n] for n in names}

    def rel(ours, golden):
        return ((ours.double() - golden.double()).norm() / golden.double().norm()).item()

    g0, logits, loss = gradients(p0)
    model.zero_grad()
    optimizer = model.configure_optimizers(wd, lr, (b1, b2))
    norms = []
    for _ in range(2):
        model(idx, targets)[1].backward()
        norms.append(torch.nn.utils.clip_grad_norm_(model.parameters(), opt["grad_clip_global_norm"]).item())
        optimizer.step()
        optimizer.zero_grad()
    after = dict(model.named_parameters())
    print(json.dumps({
        "last_round_moved": moved,
        "loss": loss, "golden_loss": file["expected.loss"].item(),
        "logits_rel": rel(logits, file["expected.logits"]),
        "max_grad_rel": max(rel(g0[n], file["grad." + n]) for n in names),
        "grad_norms": norms, "golden_grad_norms": opt["grad_norms_before_clip"],
        "max_after_rel": max(rel(after[n].detach(), file["after_adamw_2_steps." + n]) for n in names),
        "max_change_rel": max(rel(after[n].detach().double() - p0[n], p2[n] - p0[n]) for n in names),
    }, indent=1))


if __name__ == "__main__":
    main()
