"""makemore part 3's training cells, run as the notebook runs them (PyTorch 1.13, one thread): the
generator g = torch.Generator().manual_seed(2147483647) draws the weights and then every minibatch.

  /usr/bin/python3 benchmarks/pytorch/makemore_part3.py bn [DATA]        # the BatchNorm network (cell 6)
  /usr/bin/python3 benchmarks/pytorch/makemore_part3.py original [DATA]  # the part-2 network in the same loop

Prints the step-0 loss, a loss every 10,000 steps and, at the end, the train/val/test losses as JSON:
the reference for `gptfs mlp [--batchnorm]`, which draws the same numbers from Rng.pytorch.
"""
import sys, random, time, json
import torch, torch.nn.functional as F
torch.set_num_threads(1)
variant = sys.argv[1]  # 'bn' or 'original'
steps = 200000
data = sys.argv[2] if len(sys.argv) > 2 else '../shared/data/names.txt'
words = open(data).read().splitlines()
chars = sorted(list(set(''.join(words))))
stoi = {s:i+1 for i,s in enumerate(chars)}; stoi['.'] = 0
itos = {i:s for s,i in stoi.items()}
vocab_size = len(itos)
block_size = 3
def build_dataset(words):
  X, Y = [], []
  for w in words:
    context = [0] * block_size
    for ch in w + '.':
      ix = stoi[ch]; X.append(context); Y.append(ix); context = context[1:] + [ix]
  return torch.tensor(X), torch.tensor(Y)
random.seed(42); random.shuffle(words)
n1 = int(0.8*len(words)); n2 = int(0.9*len(words))
Xtr, Ytr = build_dataset(words[:n1]); Xdev, Ydev = build_dataset(words[n1:n2]); Xte, Yte = build_dataset(words[n2:])
n_embd = 10; n_hidden = 200
g = torch.Generator().manual_seed(2147483647)
C  = torch.randn((vocab_size, n_embd), generator=g)
if variant == 'bn':
  W1 = torch.randn((n_embd * block_size, n_hidden), generator=g) * (5/3)/((n_embd * block_size)**0.5)
  W2 = torch.randn((n_hidden, vocab_size), generator=g) * 0.01
  b2 = torch.randn(vocab_size, generator=g) * 0
  bngain = torch.ones((1, n_hidden)); bnbias = torch.zeros((1, n_hidden))
  bnmean_running = torch.zeros((1, n_hidden)); bnstd_running = torch.ones((1, n_hidden))
  parameters = [C, W1, W2, b2, bngain, bnbias]
else:
  W1 = torch.randn((n_embd * block_size, n_hidden), generator=g)
  b1 = torch.randn(n_hidden, generator=g)
  W2 = torch.randn((n_hidden, vocab_size), generator=g)
  b2 = torch.randn(vocab_size, generator=g)
  parameters = [C, W1, b1, W2, b2]
print('params', sum(p.nelement() for p in parameters))
for p in parameters: p.requires_grad = True
t0 = time.time()
for i in range(steps):
  ix = torch.randint(0, Xtr.shape[0], (32,), generator=g)
  Xb, Yb = Xtr[ix], Ytr[ix]
  emb = C[Xb]; embcat = emb.view(emb.shape[0], -1)
  if variant == 'bn':
    hpreact = embcat @ W1
    bnmeani = hpreact.mean(0, keepdim=True); bnstdi = hpreact.std(0, keepdim=True)
    hpreact = bngain * (hpreact - bnmeani) / bnstdi + bnbias
    with torch.no_grad():
      bnmean_running = 0.999 * bnmean_running + 0.001 * bnmeani
      bnstd_running = 0.999 * bnstd_running + 0.001 * bnstdi
  else:
    hpreact = embcat @ W1 + b1
  h = torch.tanh(hpreact); logits = h @ W2 + b2
  loss = F.cross_entropy(logits, Yb)
  for p in parameters: p.grad = None
  loss.backward()
  lr = 0.1 if i < 100000 else 0.01
  for p in parameters: p.data += -lr * p.grad
  if i % 10000 == 0 or i < 3: print(f'{i:7d}/{steps:7d}: {loss.item():.4f}', flush=True)
t1 = time.time()
@torch.no_grad()
def split_loss(x, y):
  emb = C[x]; embcat = emb.view(emb.shape[0], -1)
  if variant == 'bn':
    hpreact = embcat @ W1
    hpreact = bngain * (hpreact - bnmean_running) / bnstd_running + bnbias
  else:
    hpreact = embcat @ W1 + b1
  h = torch.tanh(hpreact); logits = h @ W2 + b2
  return F.cross_entropy(logits, y).item()
res = dict(variant=variant, steps=steps, train=split_loss(Xtr, Ytr), val=split_loss(Xdev, Ydev), test=split_loss(Xte, Yte), seconds=t1-t0)
print(json.dumps(res), flush=True)
