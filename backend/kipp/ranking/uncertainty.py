"""How sure is the TOP N? Draws of the innovations' qualities that share the judges (numpy).

Each draw d gives every ranked innovation a plausible quality

    T_di = centre_i + scale_i * (noise_sd_i * z_di + sum_k loading_ik * shock_dk)

``z`` is independent per innovation (its judges' noise); ``shock`` holds judge-level errors
shared by every innovation that judge scored (its offset, and for the judge-effects model its
spread), so a lenient judge moves all their innovations together in a draw instead of counting
as independent noise. ``p_top`` is the share of draws in which the innovation is in the TOP N.

Memory does not grow with the number of draws: they are made ``chunk`` at a time, and two
random streams (shocks, noise) are each consumed in draw order, so the result is the same for
any chunk size. Normal draws are clipped at +-``Z_MAX`` (a change of probability below 1e-10)
so every draw lies within a known bound of its centre; innovations whose bound cannot reach
the cut-off in any draw are certain (p = 0 or 1, exactly) and are not drawn at all, which
keeps a national round (3,000 innovations, TOP 99) fast. Each chunk narrows that again with
the values it actually drew: only the innovations that can cross the cut-off in one of its
draws are computed, the others counted in or out, with the same result to the last bit.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

Z_MAX = 6.5
DEFAULT_CHUNK = 100


@dataclass(frozen=True)
class Shocks:
    """Judge-level random errors: ``draw(rng, d)`` gives a (d x count) array whose column k
    never exceeds ``bound[k]`` in absolute value. It must consume ``rng`` in draw order."""

    count: int
    bound: FloatArray
    variance: FloatArray
    draw: Callable[[np.random.Generator, int], FloatArray]


def resampled_judges(effects: FloatArray, pool: IntArray) -> Shocks:
    """Every judge's offset in a draw is that of a judge drawn, with replacement, from
    ``pool`` (judges as whole units). ``effects`` is centred on the pool first."""
    count = len(effects)
    values = effects[pool] - float(effects[pool].mean()) if len(pool) else np.zeros(0)
    bound_value = float(np.abs(values).max()) if len(values) else 0.0
    size = max(len(values), 1)
    safe_values = values if len(values) else np.zeros(1)

    def draw(rng: np.random.Generator, d: int) -> FloatArray:
        picked = np.minimum((rng.random((d, count)) * size).astype(np.int64), size - 1)
        out: FloatArray = safe_values[picked]
        return out

    variance = float((values**2).mean()) if len(values) else 0.0
    return Shocks(count, np.full(count, bound_value), np.full(count, variance), draw)


def gaussian_pairs(l11: FloatArray, l21: FloatArray, l22: FloatArray) -> Shocks:
    """Per judge a correlated pair (offset error, spread error) with Cholesky factor
    ``[[l11, 0], [l21, l22]]``; columns 0..J-1 are offsets, J..2J-1 spreads."""
    judges = len(l11)

    def draw(rng: np.random.Generator, d: int) -> FloatArray:
        z = np.clip(rng.standard_normal((d, judges, 2)), -Z_MAX, Z_MAX)
        out: FloatArray = np.concatenate(
            [l11 * z[:, :, 0], l21 * z[:, :, 0] + l22 * z[:, :, 1]], axis=1
        )
        return out

    bound = np.concatenate([np.abs(l11), np.abs(l21) + np.abs(l22)]) * Z_MAX
    variance = np.concatenate([l11**2, l21**2 + l22**2])
    return Shocks(2 * judges, bound, variance, draw)


@dataclass(frozen=True)
class TopProbability:
    p_top: FloatArray  # per innovation, the share of draws in the TOP N
    exact_top: float | None  # share of draws whose TOP N is exactly ``computed_top``
    drawn: int  # innovations that could cross the cut-off (the others are certain)


def top_probability(
    *,
    centre: FloatArray,
    scale: FloatArray,
    noise_sd: FloatArray,
    load_row: IntArray,
    load_shock: IntArray,
    load_value: FloatArray,
    shocks: Shocks,
    top_n: int,
    computed_top: BoolArray,
    samples: int,
    seed: int,
    chunk: int = DEFAULT_CHUNK,
    ahead: bool | None = None,
) -> TopProbability:
    """p(TOP N) for each innovation from ``samples`` draws (see the module docstring).

    ``load_row``/``load_shock``/``load_value`` are the sparse loadings of the innovations on
    the shocks. Ties inside a draw share the places left equally, so the p add up to
    ``min(top_n, innovations)``. ``ahead``: make each chunk's random values in a worker
    thread while the previous chunk is counted (default: when a chunk is large enough to be
    worth it); the values, and so the result, are the same either way.
    """
    n = len(centre)
    if n <= top_n:
        return TopProbability(np.ones(n), 1.0 if n else None, 0)
    abs_load = np.bincount(load_row, np.abs(load_value) * shocks.bound[load_shock], minlength=n)
    reach = scale * (Z_MAX * noise_sd + abs_load)
    low, high = centre - reach, centre + reach
    # Sure in: its lowest value beats the (N+1)-th highest "highest value" (at most N others
    # can ever be above it). Sure out: its highest is below the N-th highest "lowest value".
    upper_cut = np.partition(high, n - top_n - 1)[n - top_n - 1]
    lower_cut = np.partition(low, n - top_n)[n - top_n]
    sure_in = low > upper_cut
    sure_out = high < lower_cut
    candidate = ~(sure_in | sure_out)
    cand = np.flatnonzero(candidate)
    places = top_n - int(sure_in.sum())
    p_top = sure_in.astype(np.float64)
    consistent = bool(np.all(computed_top[sure_in]) and not np.any(computed_top[sure_out]))
    if len(cand) == 0 or places <= 0:
        return TopProbability(p_top, 1.0 if consistent else 0.0, 0)
    if places >= len(cand):
        p_top[cand] = 1.0
        return TopProbability(p_top, 1.0 if consistent else 0.0, len(cand))

    # Loadings restricted to the candidates, padded to one slot per (candidate, loading):
    # the shared term is then a few row gathers of the transposed shocks (no BLAS: a
    # multi-threaded matrix product stalls on a busy machine, and is mostly zeros here).
    position = np.full(n, -1, dtype=np.int64)
    position[cand] = np.arange(len(cand))
    keep = candidate[load_row]
    rows, cols, vals = position[load_row[keep]], load_shock[keep], load_value[keep]
    order = np.argsort(rows * (shocks.count + 1) + cols, kind="stable")  # lexsort((cols, rows))
    rows, cols, vals = rows[order], cols[order], vals[order]
    per_row = np.bincount(rows, minlength=len(cand))
    slot = np.arange(len(rows)) - np.repeat(np.cumsum(per_row) - per_row, per_row)
    slots = int(per_row.max()) if len(per_row) else 0
    gather = np.full((slots, len(cand)), shocks.count, dtype=np.int64)  # count: a zero row
    weight = np.zeros((slots, len(cand), 1), dtype=np.float32)
    gather[slot, rows] = cols
    weight[slot, rows, 0] = vals
    # Draws in single precision: twice as fast, and 1e-7 relative is far below any score
    # difference that matters (a tie inside a draw is shared as usual).
    c_centre = centre[cand].astype(np.float32)
    c_scale = scale[cand].astype(np.float32)[:, None]
    c_noise = (noise_sd[cand] * scale[cand]).astype(np.float32)
    c_top = computed_top[cand]
    check_exact = consistent and bool(c_top.any()) and bool((~c_top).any())
    shock_rng, noise_rng = (np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(2))
    width = len(cand)
    hits = np.zeros(width)
    exact = 0
    # With as many computed members as places (always, when consistent), "min over the
    # computed TOP N > max over the others" is "they are all in the draw's TOP N, and it has
    # no tie at the cut-off": read off the mask the count already made.
    exact_by_mask = int(c_top.sum()) == places
    # Each chunk first bounds every candidate by the values actually drawn (its noise's own
    # range, the judges' largest shocks): those that cannot cross the cut-off in any of the
    # chunk's draws are counted in (d hits) or out (none) without computing their draws,
    # and the rest is ranked among itself with the places left (the same counts, ties and
    # exact TOP N: see _chunk_split). The random streams are consumed exactly as before, and
    # every value computed is the same float32 operations in the same order.
    abs_weight = np.abs(weight[:, :, 0]).astype(np.float64)
    abs_scale = np.abs(c_scale[:, 0]).astype(np.float64)
    centre64 = c_centre.astype(np.float64)
    shock_max = np.zeros(shocks.count + 1)  # the last: the zero row
    shock_rows = np.zeros((shocks.count + 1, chunk), dtype=np.float32)  # last row: zeros
    shared_buffer = np.empty(width * chunk, dtype=np.float32)  # (candidate, draw) rows
    term_buffer = np.empty(width * chunk, dtype=np.float32)
    for d, shock, draws in _random_chunks(
        shocks=shocks,
        shock_rng=shock_rng,
        noise_rng=noise_rng,
        noise_scale=c_noise,
        samples=samples,
        chunk=chunk,
        ahead=ahead,
    ):
        if d < chunk:  # the last, shorter chunk
            shock_rows = shock_rows[:, :d]
        shock_rows[:-1] = shock.T
        if check_exact and not exact_by_mask:  # only a caller's inconsistent computed TOP N
            live, sure, live_places = None, np.zeros(0, dtype=np.int64), places
        else:
            np.abs(shock).max(axis=0, out=shock_max[:-1])
            shared_bound = (abs_weight * shock_max[gather]).sum(axis=0) * abs_scale
            live, sure, live_places = _chunk_split(
                centre64, draws.min(axis=0), draws.max(axis=0), shared_bound, places
            )
        if live is None:
            columns = draws
            c_gather, c_weight, scale_now, centre_now = gather, weight, c_scale, c_centre
        else:
            columns = draws[:, live]
            c_gather, c_weight = gather[:, live], weight[:, live]
            scale_now, centre_now = c_scale[live], c_centre[live]
        hits[sure] += d
        size = columns.shape[1]
        if 0 < live_places < size:
            shared = shared_buffer[: size * d].reshape(size, d)
            term = term_buffer[: size * d].reshape(size, d)
            if slots:
                np.take(shock_rows, c_gather[0], axis=0, out=shared, mode="clip")
                shared *= c_weight[0]
            else:
                shared.fill(0.0)
            for s in range(1, slots):
                np.take(shock_rows, c_gather[s], axis=0, out=term, mode="clip")
                term *= c_weight[s]
                shared += term
            shared *= scale_now
            columns += shared.T
            columns += centre_now
            counts, in_top, count_in = _top_counts(columns, live_places)
            if live is None:
                hits += counts
            else:
                hits[live] += counts
        elif live_places > 0:  # every live candidate is in the TOP N of every draw
            in_top, count_in = None, None
            hits[live if live is not None else slice(None)] += d
        else:
            in_top, count_in = None, None
        if not check_exact:
            continue
        if not exact_by_mask:
            exact += int((columns[:, c_top].min(axis=1) > columns[:, ~c_top].max(axis=1)).sum())
            continue
        # A certain member outside the computed TOP N, or a computed member certainly out:
        # no draw of the chunk has exactly the computed TOP N.
        live_top = c_top if live is None else c_top[live]
        if int(live_top.sum()) != live_places or not c_top[sure].all():
            continue
        if in_top is None or count_in is None:
            exact += d
        else:
            exact += int((in_top[:, live_top].all(axis=1) & (count_in == live_places)).sum())
    p_top[cand] = hits / samples
    exact_share = exact / samples if consistent else 0.0
    if consistent and not check_exact:
        exact_share = 1.0
    return TopProbability(p_top, exact_share, len(cand))


# A chunk of fewer random values than this is made in the caller's thread: handing it to a
# worker would cost more than it saves.
AHEAD_MIN_VALUES = 50_000
_workers: ThreadPoolExecutor | None = None
_workers_lock = threading.Lock()


def _worker_pool() -> ThreadPoolExecutor:
    global _workers
    with _workers_lock:
        if _workers is None:
            _workers = ThreadPoolExecutor(
                max_workers=os.cpu_count() or 2, thread_name_prefix="kipp-draws"
            )
        return _workers


def _forget_worker_pool() -> None:
    """In a forked child the pool's threads do not exist: start a new pool there."""
    global _workers, _workers_lock
    _workers, _workers_lock = None, threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_worker_pool)


def _random_chunks(
    *,
    shocks: Shocks,
    shock_rng: np.random.Generator,
    noise_rng: np.random.Generator,
    noise_scale: npt.NDArray[np.float32],
    samples: int,
    chunk: int,
    ahead: bool | None,
) -> Iterator[tuple[int, FloatArray, npt.NDArray[np.float32]]]:
    """Each chunk's random values in draw order: (draws in it, the judges' shocks, each
    candidate's noise, clipped and scaled by ``noise_scale``).

    Made one chunk ahead in a worker thread when ``ahead`` (by default when a chunk holds
    ``AHEAD_MIN_VALUES`` or more): numpy releases the GIL while it fills the arrays, so on a
    machine with a free core the next chunk's 150,000 normal variates (at 3,000 innovations,
    the largest single cost of the draws) are made while this one is counted. Each stream
    is still consumed by one job at a time, in draw order, so the values are the same as
    made inline; the noise alternates between two buffers (the consumer is done with a
    chunk's before the job after next is handed its buffer)."""
    width = len(noise_scale)
    sizes = [min(chunk, samples - start) for start in range(0, samples, chunk)]
    if ahead is None:
        ahead = len(sizes) > 1 and chunk * width >= AHEAD_MIN_VALUES
    buffers = [np.empty((chunk, width), dtype=np.float32) for _ in range(2 if ahead else 1)]

    def make(k: int) -> tuple[int, FloatArray, npt.NDArray[np.float32]]:
        d = sizes[k]
        shock = shocks.draw(shock_rng, d)
        draws = buffers[k % len(buffers)][:d]
        noise_rng.standard_normal(out=draws, dtype=np.float32)
        np.clip(draws, -Z_MAX, Z_MAX, out=draws)
        draws *= noise_scale
        return d, shock, draws

    if not ahead:
        for k in range(len(sizes)):
            yield make(k)
        return
    pool = _worker_pool()
    pending: Future[tuple[int, FloatArray, npt.NDArray[np.float32]]] = pool.submit(make, 0)
    try:
        for k in range(len(sizes)):
            made = pending.result()
            if k + 1 < len(sizes):
                pending = pool.submit(make, k + 1)
            yield made
    finally:
        if not pending.cancel():  # a job still running must not outlive its buffers' user
            wait([pending])


def _chunk_split(
    centre: FloatArray,
    noise_low: npt.NDArray[np.float32],
    noise_high: npt.NDArray[np.float32],
    shared_bound: FloatArray,
    places: int,
) -> tuple[IntArray | None, IntArray, int]:
    """Which columns of a chunk must be drawn: (live columns, or None for all; the columns
    in the TOP N of every draw; the places left to the live ones).

    A column whose lowest value beats the (places+1)-th highest "highest value" has at most
    places - 1 others at or above it in any draw: it is in the TOP N, tie rule included
    (counted 1); one whose highest is below the places-th highest "lowest value" has places
    others strictly above it: out. Removing both leaves the live columns' cut-off, ties and
    counts as they were. The margin covers single-precision rounding (1e-7 relative per
    step, a few dozen steps) many times over."""
    width = len(centre)
    reach = shared_bound + np.maximum(np.abs(noise_low), np.abs(noise_high))
    margin = 1e-4 * (1.0 + np.abs(centre) + reach)
    low = centre + noise_low - shared_bound - margin
    high = centre + noise_high + shared_bound + margin
    upper_cut = np.partition(high, width - places - 1)[width - places - 1]
    lower_cut = np.partition(low, width - places)[width - places]
    sure_in = low > upper_cut
    live_mask = ~sure_in & ~(high < lower_cut)
    live = np.flatnonzero(live_mask)
    sure = np.flatnonzero(sure_in)
    if len(live) > 0.85 * width:  # not worth copying the live columns out
        return None, np.zeros(0, dtype=np.int64), places
    return live, sure, places - len(sure)


def _top_counts(
    draws: npt.NDArray[np.float32], places: int
) -> tuple[FloatArray, BoolArray, IntArray]:
    """Per column, in how many rows (draws) it is among the ``places`` highest (a tie across
    the cut-off shares the places left equally); the mask of values at or above each row's
    cut-off and its count per row. The cut-off is one partition of the chunk; without a
    tie at it, the count is the mask's column sums (the same numbers the tie rule gives)."""
    n = draws.shape[1]
    cutoff = np.partition(draws, n - places, axis=1)[:, n - places, None]
    in_top = draws >= cutoff
    count_in: IntArray = in_top.sum(axis=1)
    if (count_in == places).all():
        return in_top.sum(axis=0).astype(np.float64), in_top, count_in
    above = draws > cutoff
    at = in_top & ~above
    left = (places - above.sum(axis=1, keepdims=True)) / at.sum(axis=1, keepdims=True)
    counts: FloatArray = above.sum(axis=0) + (at * left).sum(axis=0)
    return counts, in_top, count_in
