/** Short explanations of the lab's terms, shown on hover or focus next to each control. */
export const GLOSSARY = {
  units:
    'How many neurons the layer has. Each one sums all of the previous layer’s outputs with its own weights, adds a bias and applies the activation.',
  activation:
    'The function each unit applies to its sum. Sigmoid squashes into 0..1 (and goes flat far from 0), tanh into -1..1, ReLU keeps positive sums and outputs 0 otherwise, linear changes nothing.',
  epochs: 'One epoch is one pass over every training image. More epochs: more learning, and more time.',
  batch: 'How many images the network sees before each update of its weights. The article uses 128.',
  learningRate: 'How big a step each update takes. Too small: nothing moves; too large: the loss jumps or gets stuck.',
  optimizer:
    'How the gradient becomes an update: plain SGD (the article), SGD with momentum, Adam or RMSprop, which adapt the step per weight.',
  validation:
    'The share of the training images held back (the last ones, as Keras does) to check the network on images it does not train on.',
  inputs:
    'Raw: pixel values 0..255 go straight in, as in the article. Scaled: divided by 255, so 0..1; usual practice.',
  backend:
    'Where TensorFlow.js computes: WebGL (the graphics card, or a software renderer), WebAssembly or plain JavaScript on the CPU. Auto picks the fastest that works.',
  l2: 'L2 weight decay λ: λ times the sum of every squared weight is added to the loss, so each update also shrinks the weights a little. It fights overfitting; 0 is none, 0.0001 to 0.001 is usual. Biases are left alone, as in Keras.',
  l1: 'L1 weight decay λ: λ times the sum of every weight’s size |w| is added to the loss, which pushes small weights to exactly zero (sparse weights). 0 is none; 0.00001 to 0.0001 is usual.',
  maxNorm:
    'Max-norm c: after every update, a unit whose incoming weights are longer than c (square root of the sum of their squares) has them scaled back to length c. Srivastava et al. used it with dropout: c of 3 to 4 is typical, they say, and their MNIST networks used 2. 0 is none.',
  dropout:
    'Dropout rate p after a hidden layer: while training, each of its outputs is set to 0 with probability p, a new draw for every image of every batch, and the rest are multiplied by 1/(1−p) so their sum stays the same on average. The next layer cannot rely on any one unit, which fights overfitting. At test, and for your drawing, nothing is dropped. 0 is none; 0.5 is Srivastava et al.’s choice for hidden layers.',
  batchNorm:
    'Batch normalization (Ioffe and Szegedy 2015), as Keras’s BatchNormalization: between a layer’s weighted sum and its activation, each unit’s sums are shifted and scaled over the batch to mean 0 and spread 1, then multiplied by a learnt γ and shifted by a learnt β (the layer has no bias of its own). So a sigmoid unit stays where it still has a slope, however deep the network or large the inputs. While training it uses each batch’s mean and variance, and keeps slow running averages of them (momentum 0.99); at test, and for your drawing, it uses those averages, which need a few hundred batches to settle. Each row of the network can switch it on for its layer.',
  inputDropout:
    'Dropout on the input: while training, each pixel is set to 0 with probability p (and the rest multiplied by 1/(1−p)), a new draw for every image of every batch. Srivastava et al. used 0.2. Nothing is dropped at test. 0 is none.',
  early:
    'Early stopping: after each epoch the lab looks at the validation loss (or accuracy). When it has not improved for this many epochs in a row (the patience), training stops, and the network gets back the weights of its best epoch, as Keras’s EarlyStopping(restore_best_weights=True) does. It needs a validation split. Off: every epoch runs.',
  schedule:
    'How the learning rate moves during the run. Constant: the same throughout (the article). Step decay: a tenth after half the run, a hundredth after three quarters. Exponential: falls smoothly to a hundredth. Cosine: falls along half a cosine to 0. One-cycle (Smith 2018): climbs from a 25th of the rate to the full rate over the first 30 % of the steps, then falls to almost 0. Big steps early move fast; small steps late settle into a minimum. The little chart draws the rate over the run ahead.',
  rateFinder:
    'The learning-rate finder (Smith 2015): it trains this network from its first weights for up to 200 batches while the rate rises tenfold about every 25 batches, from 10⁻⁷ to 10, and draws each batch’s loss against its rate. Too small a rate: the loss stays put; too large: it blows up (the finder stops there). It suggests the rate where the loss, averaged with the 5 batches either side, falls fastest. The network it trained is thrown away; your next run starts afresh.',
  warmup:
    'Warm-up: over the first epochs the rate climbs in a straight line from 0 to the learning rate, then the schedule begins (as Keras’s CosineDecay does it). It keeps the first large, random gradients from throwing the weights far. Only with a constant or cosine rate; 0 is none.',
  seed: 'Fixes the random starting weights and the shuffling: the same seed and settings repeat a run exactly.',
  subset: 'Train on only the first N of the 60,000 training images: faster, and less accurate.',
  loss: 'The loss the network is trained to lower, averaged over the images: categorical cross-entropy (how surprised the network is by the right answer; guessing scores 2.30) unless the run chose the mean squared error (guessing scores 0.09). Lower is better.',
  augment:
    'Data augmentation (Simard et al. 2003): while training, every image of every batch is distorted at random, a new draw each time it is seen, so the network cannot learn the exact pixels and must learn the shapes. Affine: shifted up to 2 pixels, turned up to 10° and scaled by 0.9 to 1.1. Elastic: bent by a smooth random field (noise smoothed over about 4 pixels, times 34), like a hand’s wobble. Either makes each batch cost more: the network multiplies every pixel, even the blank ones it otherwise skips. Validation, test and your drawings are not distorted. The Training images tab shows examples. Each epoch then costs a little more, and a run usually needs more epochs to gain from it.',
  lossFn:
    'What training lowers. Cross-entropy (Keras’s usual choice) punishes a confident wrong answer without limit, so it pushes hardest on the images the network gets most wrong. The mean squared error of the ten probabilities against the right answer (LeCun et al. 1998 trained so) is at most 0.2 per image, and a saturated softmax passes back almost nothing, so with plain SGD it learns far more slowly (the article’s network, 5 epochs, seed 1: 0.40 test accuracy against 0.89); Adam makes up most of it (32 ReLU units: 0.950 against 0.953). Guessing evenly scores 2.30 and 0.09.',
  acc: 'Accuracy: the share of training images whose highest-probability class is the right one.',
  valAcc: 'Validation accuracy: the same on the held-back images the network never trains on.',
  params:
    'The number of weights and biases the network has: inputs × units + units for each layer; a layer with batch normalization has no bias but four numbers per unit in its normalization (γ and β are learnt, the moving mean and variance are averaged, as Keras counts them).',
} as const;

export type Term = keyof typeof GLOSSARY;
