"""Counter-based random numbers: a packet's fate is a pure function of
(flow key, packet index, direction, purpose).

That lets the replay decide per-packet loss and queueing without storing a
per-packet array, and lets :mod:`d2c.traffic.pcap` regenerate exactly the same
fates later. The mixer is SplitMix64's finaliser (Steele, Lea and Flood,
"Fast splittable pseudorandom number generators", OOPSLA 2014).
"""

from __future__ import annotations

import numpy as np

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_K_INDEX = np.uint64(0xD6E8FEB86659FD93)
_K_SALT = np.uint64(0xA0761D6478BD642F)
_TWO_M53 = 2.0 ** -53


def mix64(x: np.ndarray) -> np.ndarray:
    """SplitMix64 finaliser on uint64 arrays (wrapping arithmetic).

    The state advances by the golden gamma before mixing, so mixing 0 and the gamma gives the
    first two outputs of the reference ``splitmix64.c`` seeded with 0:

    >>> [hex(int(v)) for v in mix64(np.array([0, 0x9E3779B97F4A7C15], dtype=np.uint64))]
    ['0xe220a8397b1dcdaf', '0x6e789e6aa1b965f4']
    """
    with np.errstate(over="ignore"):
        z = np.asarray(x, dtype=np.uint64) + _GOLDEN
        return _finalise(z)


def _finalise(z: np.ndarray) -> np.ndarray:
    """The finaliser's shifts and multiplies, in place on ``z`` (a fresh uint64 array)."""
    t = np.empty_like(z)
    with np.errstate(over="ignore"):
        for shift, mult in ((30, _M1), (27, _M2)):
            np.right_shift(z, np.uint64(shift), out=t)
            z ^= t
            z *= mult
        np.right_shift(z, np.uint64(31), out=t)
        z ^= t
    return z


def hash64(key, index, salt: int) -> np.ndarray:
    """64-bit hash of (key, index, salt); arrays broadcast.

    With all three 0 it is the mixer applied twice:

    >>> bool(hash64(0, 0, 0) == mix64(mix64(0))), hash64(5, np.arange(3), 1).shape
    (True, (3,))
    """
    with np.errstate(over="ignore"):
        k = np.asarray(key, dtype=np.uint64)
        i = np.asarray(index, dtype=np.uint64)
        z = i * _K_INDEX
        z += _GOLDEN
        x = _finalise(z)
        x += np.uint64(salt) * _K_SALT
        in_place = isinstance(x, np.ndarray) and x.shape == np.broadcast_shapes(k.shape, x.shape)
        x = np.bitwise_xor(k, x, out=x) if in_place else k ^ x
        x += _GOLDEN
        return _finalise(x)


def uniform(key, index, salt: int) -> np.ndarray:
    """Uniform floats in [0, 1) from :func:`hash64`.

    >>> u = uniform(12345, np.arange(100_000), 1)
    >>> bool(u.min() >= 0.0 and u.max() < 1.0), round(float(u.mean()), 2)
    (True, 0.5)
    """
    return (hash64(key, index, salt) >> np.uint64(11)).astype(np.float64) * _TWO_M53


def split_uniform(key, index, salt: int) -> tuple[np.ndarray, np.ndarray]:
    """Two independent-looking uniforms in [0, 1) from one hash (32 bits each).

    >>> hi, lo = split_uniform(12345, np.arange(100_000), 1)
    >>> [round(float(x.mean()), 2) for x in (hi, lo)], bool(abs(np.corrcoef(hi, lo)[0, 1]) < 0.01)
    ([0.5, 0.5], True)
    """
    h = hash64(key, index, salt)
    hi = (h >> np.uint64(32)).astype(np.float64) * 2.0 ** -32
    lo = (h & np.uint64(0xFFFFFFFF)).astype(np.float64) * 2.0 ** -32
    return hi, lo
