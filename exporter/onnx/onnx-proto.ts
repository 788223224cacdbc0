// onnx.proto: the project's own subset of the schema, in protobuf's .proto syntax. It lives in a
// string so the same code loads it in Node and in a browser bundle, with no file to find at run time.
export const ONNX_PROTO = `// The subset of onnx/onnx's onnx/onnx.proto that exporter/onnx writes: a model, its graph,
// nodes with attributes, initializers, and the typed, shaped graph inputs and outputs.
// Field numbers, types and enum values are upstream's own, so any ONNX reader decodes the
// files; upstream fields left out here are fields we never write. Read at run time by proto.ts.
//
// Why our own subset and not the "onnx-proto" npm package: one dependency fewer, and these
// ~90 lines are versioned with the code that writes them.
syntax = "proto2";

package onnx;

message ModelProto {
  optional int64 ir_version = 1;
  repeated OperatorSetIdProto opset_import = 8;
  optional string producer_name = 2;
  optional GraphProto graph = 7;
}

message OperatorSetIdProto {
  // Empty: the default ONNX operator set.
  optional string domain = 1;
  optional int64 version = 2;
}

message GraphProto {
  // Topologically sorted.
  repeated NodeProto node = 1;
  optional string name = 2;
  repeated TensorProto initializer = 5;
  repeated ValueInfoProto input = 11;
  repeated ValueInfoProto output = 12;
}

message NodeProto {
  repeated string input = 1;
  repeated string output = 2;
  optional string name = 3;
  optional string op_type = 4;
  repeated AttributeProto attribute = 5;
}

message AttributeProto {
  enum AttributeType {
    UNDEFINED = 0;
    FLOAT = 1;
    INT = 2;
    INTS = 7;
  }
  optional string name = 1;
  // Which one of the value fields below is set.
  optional AttributeType type = 20;
  optional float f = 2;
  optional int64 i = 3;
  repeated int64 ints = 8;
}

message TensorProto {
  enum DataType {
    UNDEFINED = 0;
    FLOAT = 1;
    INT64 = 7;
  }
  repeated int64 dims = 1;
  // A DataType value.
  optional int32 data_type = 2;
  optional string name = 8;
  // Row-major, fixed-width little-endian elements.
  optional bytes raw_data = 9;
}

message ValueInfoProto {
  optional string name = 1;
  optional TypeProto type = 2;
}

message TypeProto {
  message Tensor {
    // A TensorProto.DataType value.
    optional int32 elem_type = 1;
    optional TensorShapeProto shape = 2;
  }
  oneof value {
    Tensor tensor_type = 1;
  }
}

message TensorShapeProto {
  message Dimension {
    oneof value {
      int64 dim_value = 1;
      string dim_param = 2;
    }
  }
  repeated Dimension dim = 1;
}
`;
