using EdgeBroker.Bench.Cli;

return await BenchCommand.Create().Parse(args).InvokeAsync();
