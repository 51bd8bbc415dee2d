using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(EdgeBroker.Benchmarks.LogAppendBenchmarks).Assembly).Run(args);
