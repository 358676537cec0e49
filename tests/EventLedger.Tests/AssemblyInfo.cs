// Collections run one after another: each starts a switch host, and two hosts in one process would
// share process-wide listeners (metrics) and compete for two cores.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
