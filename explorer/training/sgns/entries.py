"""The word2vec job's machine code: numba compiles it once into an object file that later processes load without
numba (:mod:`.native`).

A command-line training spends about 0.22 s importing numba and loading the compiled job from numba's cache, more
than a 3-million-word CBOW training takes on one core. This module is numba's side of the way around it: two entry
points with a C interface -- :func:`job_entry` (one job, :func:`explorer.training.sgns.kernels.run_job` on arrays
made from the caller's pointers) and :func:`alias_entry` (:func:`explorer.training.sgns.tables.fill_alias`) -- are
compiled with everything they call into one object file by :func:`build_object`. :mod:`.native` loads that file with
llvmlite alone (about 0.02 s) and calls it through ctypes, which releases the interpreter lock as numba's ``nogil``
does.

``python -m explorer.training.sgns.entries OUT ARCH`` writes architecture ``ARCH``'s object file ``OUT`` (one file per
architecture: numba compiles only the kernel a training uses, about 4 s instead of 12).
:func:`explorer.training.sgns.native.load` runs it in a child process whose numba cache is empty, so that every
function is compiled from its source here (a function numba loaded from its cache has no code left to link in).

The entries allocate nothing and raise nothing (``error_model="numpy"``, no bounds checks, no reference counts), so
their code calls no part of numba's runtime, only the C library (``expf``, ``memset``); they return 0, or a positive
code for arguments that do not fit (a scratch too small, a sentence range outside the offsets).
"""

from __future__ import annotations

import sys
from pathlib import Path

from llvmlite import ir
from numba import njit, types

from explorer.jit import quick_start
from explorer.training.sgns.abi import ALIAS_SYMBOL, JOB_SYMBOL, N_STATS
from explorer.training.sgns.kernels import STEPS, _scratch_sizes, job_loop
from explorer.training.sgns.kernels import view as _view
from explorer.training.sgns.tables import fill_alias

quick_start()

#: return codes of the entries
OK, BAD_SCRATCH, BAD_RANGE, BAD_ARCH = 0, 1, 2, 3

_P = types.CPointer
#: job_entry's C signature (every integer int64; see :data:`explorer.training.sgns.native.JOB_ARGS`)
JOB_SIGNATURE = (
    types.int64,  # arch
    _P(types.int32), types.int64,  # ids, N
    _P(types.int64), types.int64,  # offsets, S + 1
    _P(types.int64), types.int64,  # rows, S or 0
    types.int64, types.int64,  # s_begin, s_end
    _P(types.float32), types.int64,  # w_in, R
    _P(types.float32), types.int64,  # w_out, V
    types.int64,  # d
    _P(types.uint64), types.int64,  # keep, its length
    _P(types.uint64), _P(types.int32), types.int64,  # alias threshold, alias, their length
    types.int64, types.int64,  # window, negatives
    types.float64, types.float64,  # lr_begin, lr_end
    types.uint64,  # the random state
    _P(types.int32), types.int64,  # sent_buf, its length
    _P(types.float32),  # neu1e (d,)
    _P(types.float64),  # stats (N_STATS,)
    _P(types.int64), types.int64,  # int scratch
    _P(types.float32), types.int64,  # float scratch
    _P(types.boolean), types.int64,  # flag scratch (one byte each)
)
#: alias_entry's C signature: probs float64 (V,), V, threshold uint64 (V,), alias int32 (V,), scaled float64 (V,),
#: small and large int64 (V,)
ALIAS_SIGNATURE = (_P(types.float64), types.int64, _P(types.uint64), _P(types.int32), _P(types.float64),
                   _P(types.int64), _P(types.int64))


def job_entry(arch: int):  # type: ignore[no-untyped-def]
    """The C entry of architecture ``arch``'s job: :func:`explorer.training.sgns.kernels.job_loop` around that
    architecture's step only (numba compiles that kernel alone: a fifth of the work) on the caller's memory; it
    returns :data:`OK` or why not (:data:`BAD_ARCH` for a job of another architecture)."""
    run_job = job_loop(STEPS[arch])

    def entry(arch_, ids, n_ids, offsets, n_offsets, rows, n_rows, s_begin, s_end, w_in, n_in, w_out, n_out, dim,
              keep, n_keep, threshold, alias, n_alias, window, negatives, lr_begin, lr_end, state, sent_buf, n_sent,
              neu1e, stats, ints, n_ints, floats, n_floats, flags, n_flags):  # type: ignore[no-untyped-def]
        if arch_ != arch:
            return BAD_ARCH
        need_ints, need_floats, need_flags = _scratch_sizes(arch_, window, negatives, dim)
        if n_ints < need_ints or n_floats < need_floats or n_flags < need_flags or n_sent < 1:
            return BAD_SCRATCH
        if not 0 <= s_begin <= s_end < n_offsets:
            return BAD_RANGE
        run_job(arch_, _view(ids, 0, (n_ids,)), _view(offsets, 0, (n_offsets,)), _view(rows, 0, (n_rows,)),
                s_begin, s_end, _view(w_in, 0, (n_in, dim)), _view(w_out, 0, (n_out, dim)), _view(keep, 0, (n_keep,)),
                _view(threshold, 0, (n_alias,)), _view(alias, 0, (n_alias,)), window, negatives, lr_begin, lr_end,
                state, _view(sent_buf, 0, (n_sent,)), _view(neu1e, 0, (dim,)), _view(stats, 0, (N_STATS,)),
                _view(ints, 0, (n_ints,)), _view(floats, 0, (n_floats,)), _view(flags, 0, (n_flags,)))
        return OK

    return njit(nogil=True, fastmath=True, _nrt=False, error_model="numpy")(entry)


@njit(nogil=True, _nrt=False, error_model="numpy")
def alias_entry(probs, n, threshold, alias, scaled, small, large):  # type: ignore[no-untyped-def]
    """:func:`explorer.training.sgns.tables.fill_alias` on the caller's memory; returns :data:`OK`."""
    p = _view(probs, 0, (n,))
    fill_alias(p, p.sum(), _view(threshold, 0, (n,)), _view(alias, 0, (n,)), _view(scaled, 0, (n,)),
               _view(small, 0, (n,)), _view(large, 0, (n,)))
    return OK


def _c_function(module: ir.Module, context, cres, name: str) -> None:  # type: ignore[no-untyped-def]
    """Add to ``module`` a C function ``name`` that calls the compiled ``cres`` (numba's own calling convention)
    and returns its int64 result, or -1 if it reported an error."""
    fndesc = cres.fndesc
    callee = ir.Function(module, context.call_conv.get_function_type(fndesc.restype, fndesc.argtypes),
                         fndesc.llvm_func_name)
    arg_types = [context.get_value_type(t) for t in fndesc.argtypes]
    fn = ir.Function(module, ir.FunctionType(ir.IntType(64), arg_types), name)
    builder = ir.IRBuilder(fn.append_basic_block("entry"))
    status, out = context.call_conv.call_function(builder, callee, fndesc.restype, fndesc.argtypes, fn.args)
    builder.ret(builder.select(status.is_error, ir.Constant(ir.IntType(64), -1), out))


def build_object(arch: int) -> bytes:
    """Compile architecture ``arch``'s job entry, the alias entry and everything they call into one object file for
    this machine; returns its bytes. Run it in a process whose numba cache is empty (see the module docstring)."""
    import llvmlite.binding as llvm
    from numba.core.compiler_lock import global_compiler_lock

    compiled = []
    for fn, sig in ((job_entry(arch), JOB_SIGNATURE), (alias_entry, ALIAS_SIGNATURE)):
        fn.compile(sig)
        compiled.append(fn.overloads[sig])
    context = compiled[0].target_context
    module = ir.Module("explorer_sgns_entries")
    _c_function(module, context, compiled[0], JOB_SYMBOL)
    _c_function(module, context, compiled[1], ALIAS_SYMBOL)
    codegen = context.codegen()
    library = codegen.create_library("explorer_sgns_entries")
    library.add_ir_module(module)
    for cres in compiled:
        if cres.library.has_dynamic_globals:  # (an address of this process would be baked into the file)
            raise RuntimeError("the job's code refers to this process's memory")
        library.add_linking_library(cres.library)
    with global_compiler_lock:
        library.finalize()
    return codegen._tm.emit_object(llvm.parse_assembly(library.get_llvm_str()))


def main(argv: list[str]) -> int:
    """Write architecture ``argv[1]``'s object file to the path ``argv[0]`` (the caller checks and stores it), if
    this process's key for it is ``argv[2]``, the caller's (the same sources, versions, CPU and settings)."""
    from explorer.training.sgns.native import cache_key

    out, arch, key = Path(argv[0]), int(argv[1]), argv[2]
    if cache_key(arch) != key:
        print(f"these sources or settings give key {cache_key(arch)}, not {key}", file=sys.stderr)
        return 3
    out.write_bytes(build_object(arch))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
