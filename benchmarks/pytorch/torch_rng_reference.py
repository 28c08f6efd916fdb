"""Prints the draws PyTorch's CPU generator makes for a few seeds: the expected values of
tensor-core's PytorchRngTest, which checks that Rng.pytorch(seed) draws the same.

Run with PyTorch 1.13 (Debian's python3-torch): /usr/bin/python3 benchmarks/pytorch/torch_rng_reference.py
"""
import torch


def gen(seed):
    return torch.Generator().manual_seed(seed)


def show(name, values):
    print(f"{name}: {values}")


g = gen(2147483647)
for n in (1, 5, 15, 16, 17, 27):
    show(f"randn({n}) after the earlier ones, seed 2147483647", torch.randn(n, generator=g).tolist())
g = gen(5)
show("randn(3), randn(1), randn(20)[:4], seed 5",
     torch.randn(3, generator=g).tolist() + torch.randn(1, generator=g).tolist()
     + torch.randn(20, generator=g).tolist()[:4])
g = gen(42)
show("rand(1000)[:6], seed 42", torch.rand(1000, generator=g).tolist()[:6])
show("then uniform_(-0.5, 0.5) of 37, [:6]", torch.empty(37).uniform_(-0.5, 0.5, generator=g).tolist()[:6])
g = gen(2147483647)
show("randint(0, 182625, (32,))[:6], seed 2147483647", torch.randint(0, 182625, (32,), generator=g).tolist()[:6])
show("randperm(10), seed 3407", torch.randperm(10, generator=gen(3407)).tolist())
show("randperm(32033)[:6], seed 3407", torch.randperm(32033, generator=gen(3407)).tolist()[:6])
p = torch.tensor([0.1, 0.2, 0.3, 0.4, 0.0, 0.5])
g = gen(7)
show("multinomial(p, 1) x30, seed 7", [torch.multinomial(p, 1, generator=g).item() for _ in range(30)])
g = gen(7)
show("multinomial(p, 1, replacement=True) x30, seed 7",
     [torch.multinomial(p, 1, replacement=True, generator=g).item() for _ in range(30)])
