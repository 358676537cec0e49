using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EventLedger.Suv;
using EventLedger.Suv.Messages;
using EventLedger.Suv.Validation;

namespace EventLedger.Tests.Suv;

public sealed class ExampleMessagesTests
{
    public static TheoryData<string, Type> Examples => new()
    {
        { "BasicAdvice.json", typeof(BasicAdvice) },
        { "BasicReversal.json", typeof(BasicReversal) },
        { "ErrorDetail.json", typeof(ErrorDetail) },
        { "ProvisionRequest.json", typeof(ProvisionRequest) },
        { "ProvisionResponse.json", typeof(ProvisionResponse) },
        { "RedemptionRequest.json", typeof(RedemptionRequest) },
        { "RedemptionResponse.json", typeof(RedemptionResponse) },
        { "TenderAdvice.json", typeof(TenderAdvice) },
    };

    public static string Example(string file) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "suv-examples", file));

    [Theory]
    [MemberData(nameof(Examples))]
    public void Every_published_example_round_trips_unchanged(string file, Type type)
    {
        var original = Example(file);

        var message = JsonSerializer.Deserialize(original, type, SuvJson.Options);
        var written = JsonSerializer.Serialize(message, type, SuvJson.Options);

        JsonNode.DeepEquals(JsonNode.Parse(original), JsonNode.Parse(written)).Should()
            .BeTrue($"{file} should survive reading and writing, but came back as {written}");
    }

    [Theory]
    [InlineData("RedemptionRequest.json")]
    [InlineData("BasicAdvice.json")]
    [InlineData("BasicReversal.json")]
    [InlineData("ProvisionRequest.json")]
    [InlineData("TenderAdvice.json")]
    public void Every_published_request_example_is_valid(string file)
    {
        var bytes = Encoding.UTF8.GetBytes(Example(file));

        var errors = file switch
        {
            "RedemptionRequest.json" => Errors<RedemptionRequest>(bytes, SuvValidator.Validate),
            "BasicAdvice.json" => Errors<BasicAdvice>(bytes, SuvValidator.Validate),
            "BasicReversal.json" => Errors<BasicReversal>(bytes, SuvValidator.Validate),
            "ProvisionRequest.json" => Errors<ProvisionRequest>(bytes, SuvValidator.Validate),
            _ => Errors<TenderAdvice>(bytes, SuvValidator.Validate),
        };

        errors.Should().BeNull();
    }

    [Fact]
    public void Id_and_time_come_back_byte_identical_however_they_were_written()
    {
        var node = JsonNode.Parse(Example("BasicAdvice.json"))!;
        node["id"] = "A50022C7-2751-5BF9-DFBB-EABBD7B5F743";
        node["time"] = "2018-12-07T12:03:55.2+02:00";

        var advice = SuvJson.Deserialize<BasicAdvice>(node.ToJsonString());
        var written = JsonNode.Parse(SuvJson.Serialize(advice))!;

        written["id"]!.GetValue<string>().Should().Be("A50022C7-2751-5BF9-DFBB-EABBD7B5F743");
        written["time"]!.GetValue<string>().Should().Be("2018-12-07T12:03:55.2+02:00");
    }

    [Fact]
    public void Nulls_are_omitted_and_names_are_camel_case_when_writing()
    {
        var written = SuvJson.Serialize(ErrorDetail.Of(ErrorTypes.FormatError, "Bad formatting", "id-1"));

        written.Should().Be("""{"id":"id-1","errorType":"FORMAT_ERROR","errorMessage":"Bad formatting"}""");
    }

    private static ErrorDetail? Errors<T>(byte[] bytes, Func<T, IReadOnlyList<FormatError>> validate) where T : class =>
        SuvReader.Read(bytes, validate).Error;
}
