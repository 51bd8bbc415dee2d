namespace EdgeBroker.Mqtt.Tests.Codec;

using Microsoft.FSharp.Core;

/// <summary>
/// FsCheck configurations with a fixed replay seed: CI runs are deterministic, and a failure
/// prints the generated value (each case is derived from one int seed) for a regression row.
/// Change the seed locally to explore further.
/// </summary>
internal static class FsCheckConfigs
{
    public static FsCheck.Config Deterministic(int maxTest, ulong seed = 20261122) =>
        FsCheck.Config.QuickThrowOnFailure
            .WithMaxTest(maxTest)
            .WithReplay(FSharpOption<FsCheck.Replay>.Some(new FsCheck.Replay(new FsCheck.Rnd(seed), FSharpOption<int>.None)));
}
