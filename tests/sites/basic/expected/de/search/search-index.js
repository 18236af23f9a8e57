self.commonsgenSearchIndex = {"version":2,"lang":"de","pages":2,"shards":[["","w-ddd9c40767f9"]]};
