"""Writes a Keras functional-model topology (the `modelTopology` of a TF.js LayersModel) and its
weights while a model's `to_keras` walks its layers. Layout conversions live here, one per layer:
PyTorch OIHW conv kernels -> Keras HWIO; depthwise (C,1,H,W) -> (H,W,C,1)."""
from __future__ import annotations

import numpy as np
import torch
from torch import nn

from .layers import AvgPool2d, Conv2d, MaxPool2d, SeparableConv2d


def _array(t: torch.Tensor) -> np.ndarray:
    return t.detach().cpu().numpy().astype(np.float32)


def _dense_kernel(linear: nn.Linear, chw: tuple[int, int, int] | None) -> np.ndarray:
    """Keras Dense kernel (in, out). After a Flatten, PyTorch flattens C,H,W but Keras flattens
    H,W,C: reorder the input rows so both read the same feature for the same weight."""
    kernel = _array(linear.weight).T
    if chw is not None:
        c, h, w = chw
        kernel = kernel.reshape(c, h, w, -1).transpose(1, 2, 0, 3).reshape(c * h * w, -1)
    return kernel


class KerasGraph:
    def __init__(self, name: str):
        self.name = name
        self.layers: list[dict] = []
        self.weights: list[tuple[str, np.ndarray]] = []

    def _layer(self, class_name: str, name: str, inputs: list[str], **config) -> str:
        if any(layer["name"] == name for layer in self.layers):
            raise ValueError(f"duplicate layer name {name}")
        config = {"name": name, "trainable": True, "dtype": "float32", **config}
        nodes = [[[source, 0, 0, {}] for source in inputs]] if inputs else []
        self.layers.append({"class_name": class_name, "config": config, "name": name, "inbound_nodes": nodes})
        return name

    def _weight(self, layer: str, kind: str, value: np.ndarray) -> None:
        self.weights.append((f"{layer}/{kind}", np.ascontiguousarray(value, dtype=np.float32)))

    def input(self, shape: tuple[int, ...], name: str = "input") -> str:
        return self._layer("InputLayer", name, [], batch_input_shape=[None, *shape], sparse=False)

    def conv2d(self, x: str, name: str, conv: Conv2d) -> str:
        if conv.groups != 1:
            raise ValueError("grouped convolutions are exported as SeparableConv2D")
        self._weight(name, "kernel", _array(conv.weight).transpose(2, 3, 1, 0))
        if conv.bias is not None:
            self._weight(name, "bias", _array(conv.bias))
        return self._layer("Conv2D", name, [x], filters=conv.out_channels, kernel_size=list(conv.kernel_size),
                           strides=list(conv.stride), padding=conv.keras_padding, data_format="channels_last",
                           dilation_rate=list(conv.dilation), activation="linear", use_bias=conv.bias is not None)

    def separable_conv2d(self, x: str, name: str, sep: SeparableConv2d) -> str:
        depthwise, pointwise = sep.depthwise, sep.pointwise
        self._weight(name, "depthwise_kernel", _array(depthwise.weight).transpose(2, 3, 0, 1))
        self._weight(name, "pointwise_kernel", _array(pointwise.weight).transpose(2, 3, 1, 0))
        if pointwise.bias is not None:
            self._weight(name, "bias", _array(pointwise.bias))
        return self._layer("SeparableConv2D", name, [x], filters=pointwise.out_channels,
                           kernel_size=list(depthwise.kernel_size), strides=[1, 1], padding=depthwise.keras_padding,
                           data_format="channels_last", dilation_rate=[1, 1], depth_multiplier=1,
                           activation="linear", use_bias=pointwise.bias is not None)

    def batch_norm(self, x: str, name: str, bn: nn.BatchNorm2d) -> str:
        self._weight(name, "gamma", _array(bn.weight))
        self._weight(name, "beta", _array(bn.bias))
        self._weight(name, "moving_mean", _array(bn.running_mean))
        self._weight(name, "moving_variance", _array(bn.running_var))
        return self._layer("BatchNormalization", name, [x], axis=-1, momentum=0.99, epsilon=bn.eps,
                           center=True, scale=True)

    def relu(self, x: str, name: str) -> str:
        return self._layer("Activation", name, [x], activation="relu")

    def softmax(self, x: str, name: str) -> str:
        return self._layer("Activation", name, [x], activation="softmax")

    def max_pool(self, x: str, name: str, pool: MaxPool2d) -> str:
        return self._layer("MaxPooling2D", name, [x], pool_size=[pool.kernel, pool.kernel],
                           strides=[pool.stride, pool.stride], padding=pool.keras_padding, data_format="channels_last")

    def average_pool(self, x: str, name: str, pool: AvgPool2d) -> str:
        return self._layer("AveragePooling2D", name, [x], pool_size=[pool.kernel, pool.kernel], strides=[1, 1],
                           padding="same", data_format="channels_last")

    def cropping(self, x: str, name: str, rows: tuple[int, int], columns: tuple[int, int]) -> str:
        """Cropping2D: drops rows[0] rows at the top, rows[1] at the bottom, columns likewise."""
        return self._layer("Cropping2D", name, [x], cropping=[list(rows), list(columns)], data_format="channels_last")

    def reshape(self, x: str, name: str, shape: tuple[int, ...]) -> str:
        """Keras Reshape: the per-sample shape, read and written in row-major (C) order."""
        return self._layer("Reshape", name, [x], target_shape=list(shape))

    def permute(self, x: str, name: str, dims: tuple[int, ...]) -> str:
        """Keras Permute: `dims` numbers the per-sample axes from 1."""
        return self._layer("Permute", name, [x], dims=list(dims))

    def softmax_last_axis(self, x: str, name: str) -> str:
        """Keras Softmax along the last axis: TF.js refuses any other, so reshape or permute the
        axis to normalise there first."""
        return self._layer("Softmax", name, [x], axis=-1)

    def add(self, inputs: list[str], name: str) -> str:
        return self._layer("Add", name, inputs)

    def global_average_pool(self, x: str, name: str) -> str:
        return self._layer("GlobalAveragePooling2D", name, [x], data_format="channels_last")

    def dense(self, x: str, name: str, linear: nn.Linear, activation: str = "linear",
              flattened_from: tuple[int, int, int] | None = None) -> str:
        self._weight(name, "kernel", _dense_kernel(linear, flattened_from))
        if linear.bias is not None:
            self._weight(name, "bias", _array(linear.bias))
        return self._layer("Dense", name, [x], units=linear.out_features, activation=activation,
                           use_bias=linear.bias is not None)

    def flatten(self, x: str, name: str) -> str:
        return self._layer("Flatten", name, [x], data_format="channels_last")

    def multiply(self, inputs: list[str], name: str) -> str:
        return self._layer("Multiply", name, inputs)

    def concatenate(self, inputs: list[str], name: str) -> str:
        return self._layer("Concatenate", name, inputs, axis=-1)

    def activation(self, x: str, name: str, kind: str) -> str:
        return self._layer("Activation", name, [x], activation=kind)

    def custom(self, class_name: str, name: str, inputs: list[str], weights: dict[str, np.ndarray] | None = None,
               **config) -> str:
        """A layer the TF.js side registers itself (src/lib/layers): same class name and config."""
        for kind, value in (weights or {}).items():
            self._weight(name, kind, value)
        return self._layer(class_name, name, inputs, **config)

    def topology(self, inputs: list[str], outputs: list[str]) -> dict:
        return {
            "class_name": "Model",
            "config": {"name": self.name, "layers": self.layers,
                       "input_layers": [[n, 0, 0] for n in inputs], "output_layers": [[n, 0, 0] for n in outputs]},
            "keras_version": "2.15.0",
            "backend": "tensorflow",
        }
