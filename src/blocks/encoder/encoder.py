"""The PyTorch side of the encoder unit: model.py (src/main/engine/export/pytorch/prelude.ts) copies these classes in."""

import torch
from torch import nn
from mhsa import SelfAttention  # model.py holds both classes (src/blocks/mhsa/mhsa.py)


class EncoderBlock(nn.Module):
    """Pre-norm ViT encoder block: x + attn(ln1(x)), then + fc2(gelu(fc1(ln2(x))))."""

    def __init__(self, dim, heads, mlp_dim, eps, dropout, attn_dropout):
        super().__init__()
        self.ln1 = nn.LayerNorm(dim, eps=eps)
        self.attn = SelfAttention(dim, heads, True, attn_dropout)
        self.drop1 = nn.Dropout(dropout)
        self.ln2 = nn.LayerNorm(dim, eps=eps)
        self.fc1 = nn.Linear(dim, mlp_dim)
        self.gelu = nn.GELU()
        self.drop2 = nn.Dropout(dropout)
        self.fc2 = nn.Linear(mlp_dim, dim)
        self.drop3 = nn.Dropout(dropout)

    def forward(self, x):
        x = x + self.drop1(self.attn(self.ln1(x)))
        return x + self.drop3(self.fc2(self.drop2(self.gelu(self.fc1(self.ln2(x))))))
