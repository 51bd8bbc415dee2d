namespace EdgeBroker.Server.Tests;

using EdgeBroker.Server.Metrics;
using FsCheck;
using FsCheck.Fluent;

[Trait("Category", "Unit")]
public sealed class PrometheusWriterTests
{
    [Fact]
    public void EscapesLabelValuesAndHelpTextPerTheExpositionFormat()
    {
        var writer = new PrometheusWriter();
        writer.Family("m", "gauge", "help with \\ and\nnewline \"quotes\" kept");
        writer.Sample("m", 1, ("a", "x\"y\\z\nw"), ("b", ""));

        var lines = writer.ToString().Split('\n');

        Assert.Equal("# HELP m help with \\\\ and\\nnewline \"quotes\" kept", lines[0]);
        Assert.Equal("# TYPE m gauge", lines[1]);
        Assert.Equal("m{a=\"x\\\"y\\\\z\\nw\",b=\"\"} 1", lines[2]);
        Assert.Equal("", lines[3]);
    }

    [Fact]
    public void AnyLabelValueAndHelpTextSurviveTheExpositionFormat()
    {
        Prop.ForAll(ArbMap.Default.ArbFor<NonNull<string>>(), ArbMap.Default.ArbFor<NonNull<string>>(), (label, help) =>
        {
            var writer = new PrometheusWriter();
            writer.Family("m", "gauge", help.Get);
            writer.Sample("m", 7, ("l", label.Get));

            var sample = Assert.Single(MetricsTests.Parse(writer.ToString()));

            return sample.Labels["l"] == label.Get && sample.Value == 7;
        }).QuickCheckThrowOnFailure();
    }

    [Theory]
    [InlineData(0d, "0")]
    [InlineData(42d, "42")]
    [InlineData(-3d, "-3")]
    [InlineData(1.5d, "1.5")]
    [InlineData(double.PositiveInfinity, "+Inf")]
    [InlineData(double.NegativeInfinity, "-Inf")]
    [InlineData(double.NaN, "NaN")]
    public void FormatsValuesInvariantly(double value, string expected)
    {
        Assert.Equal(expected, PrometheusWriter.FormatValue(value));
    }

    [Fact]
    public void WritesTheParsedValueBackExactly()
    {
        var writer = new PrometheusWriter();
        writer.Single("x_total", "counter", "h", 123456789012);

        var sample = Assert.Single(MetricsTests.Parse(writer.ToString()));

        Assert.Equal(("x_total", 123456789012d), (sample.Name, sample.Value));
    }
}
