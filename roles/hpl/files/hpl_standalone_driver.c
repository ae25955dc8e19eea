/*
 * instancebench.aws: run the HPL inside HPC Challenge 1.5.0 on its own.
 * Copyright (c) 2026, instancebench.aws contributors. GPL-3.0-or-later.
 *
 * HPCC's HPL has no main(): HPCC calls HPL_main() between its other tests. This driver
 * initialises MPI, runs HPL_main() once on ./HPL.dat (see the role's patches to
 * HPL_pdinfo.c) and exits non-zero when HPL reports a failed residual check.
 */
#include <stdio.h>
#include <mpi.h>
#include "hpl.h"

/* HPCC's HPL falls back to HPCC_Defaults() when its input file is unreadable; standalone,
 * an unreadable HPL.dat is an error, never a silent default. */
int HPCC_Defaults(HPL_T_test *TEST, int *NS, int *N, int *NBS, int *NB, HPL_T_ORDER *PMAPPIN,
                  int *NPQS, int *P, int *Q, int *NPFS, HPL_T_FACT *PF, int *NBMS, int *NBM,
                  int *NDVS, int *NDV, int *NRFS, HPL_T_FACT *RF, int *NTPS, HPL_T_TOP *TP,
                  int *NDHS, int *DH, HPL_T_SWAP *FSWAP, int *TSWAP, int *L1NOTRAN, int *UNOTRAN,
                  int *EQUIL, int *ALIGN, MPI_Comm comm) {
  fprintf(stderr, "instancebench xhpl: HPL.dat is missing or invalid in the working directory\n");
  MPI_Abort(comm, 2);
  return 2;
}

int main(int argc, char **argv) {
  HPL_RuntimeData rdata;
  int failure = 0;
  MPI_Init(&argc, &argv);
  HPL_main(argc, argv, &rdata, &failure);
  MPI_Finalize();
  return failure ? 1 : 0;
}
