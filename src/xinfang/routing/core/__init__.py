"""The routing core: text normalisation, the keyword lexicon, the classifier, unit resolution,
repeat and cluster similarity. Plain Python with scikit-learn: nothing here imports Django, so
`xinfang routing-eval` and the tests exercise exactly what the server runs."""
